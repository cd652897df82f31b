#include "support/sql_probe.h"

#include <soci/soci.h>

namespace jobhost::testing {

int64_t scalar(store::Session& session, const std::string& sql) {
  long long v = 0;
  soci::indicator ind = soci::i_null;
  session.sql() << sql, soci::into(v, ind);
  return ind == soci::i_ok ? v : 0;
}

std::optional<std::string> text(store::Session& session, const std::string& sql) {
  std::string v;
  soci::indicator ind = soci::i_null;
  session.sql() << sql, soci::into(v, ind);
  if (!session.sql().got_data() || ind != soci::i_ok) return std::nullopt;
  return v;
}

bool table_exists(store::Session& session, const std::string& table) {
  const std::string q =
      session.dialect() == store::Dialect::sqlite
          ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" + table + "'"
          : "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + table + "'";
  return scalar(session, q) == 1;
}

}  // namespace jobhost::testing
