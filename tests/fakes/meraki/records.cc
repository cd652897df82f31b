#include "fakes/meraki/records.h"

#include "fakes/meraki/json_text.h"

namespace jobhost::testing::fake_meraki {

namespace {

void append_optional(std::string& out, const std::optional<std::string>& value) {
  if (value) {
    append_string(out, *value);
  } else {
    out += "null";
  }
}

}  // namespace

// Members in the order the header of fake_meraki.h lists them, which is close to Meraki's.
void Device::refresh() {
  std::string out;
  out.reserve(text.capacity() > 0 ? text.capacity() : 448);
  out += '{';
  append_key(out, "serial");
  append_string(out, serial);
  out += ',';
  append_key(out, "name");
  append_string(out, name);
  out += ',';
  append_key(out, "mac");
  append_string(out, mac);
  out += ',';
  append_key(out, "model");
  append_string(out, model);
  out += ',';
  append_key(out, "networkId");
  append_string(out, network_id);
  out += ',';
  append_key(out, "productType");
  append_string(out, product_type_name(product_type));
  out += ',';
  append_key(out, "lanIp");
  append_optional(out, lan_ip);
  out += ',';
  append_key(out, "firmware");
  append_string(out, firmware);
  out += ',';
  append_key(out, "tags");
  append_strings(out, tags);
  out += ',';
  append_key(out, "address");
  append_string(out, address);
  out += ',';
  append_key(out, "notes");
  append_string(out, notes);
  out += ',';
  append_key(out, "lat");
  append_number(out, lat);
  out += ',';
  append_key(out, "lng");
  append_number(out, lng);
  out += ',';
  append_key(out, "url");
  append_string(out, url);
  append_extra(out, extra);
  out += '}';
  text = std::move(out);

  std::string status_out;
  status_out.reserve(status_text.capacity() > 0 ? status_text.capacity() : 320);
  status_out += '{';
  append_key(status_out, "serial");
  append_string(status_out, serial);
  status_out += ',';
  append_key(status_out, "name");
  append_string(status_out, name);
  status_out += ',';
  append_key(status_out, "networkId");
  append_string(status_out, network_id);
  status_out += ',';
  append_key(status_out, "mac");
  append_string(status_out, mac);
  status_out += ',';
  append_key(status_out, "publicIp");
  append_string(status_out, public_ip);
  status_out += ',';
  append_key(status_out, "lanIp");
  append_optional(status_out, lan_ip);
  status_out += ',';
  append_key(status_out, "status");
  append_string(status_out, status);
  status_out += ',';
  append_key(status_out, "lastReportedAt");
  append_string(status_out, last_reported_at);
  status_out += ',';
  append_key(status_out, "productType");
  append_string(status_out, product_type_name(product_type));
  status_out += ',';
  append_key(status_out, "model");
  append_string(status_out, model);
  status_out += ',';
  append_key(status_out, "tags");
  append_strings(status_out, tags);
  status_out += '}';
  status_text = std::move(status_out);
}

ProductTypeSet Network::product_types() const {
  ProductTypeSet types = declared;
  for (std::size_t i = 0; i < kProductTypeCount; ++i) types[i] = types[i] || device_counts[i] > 0;
  return types;
}

void Network::refresh() {
  std::string out;
  out.reserve(384);
  out += '{';
  append_key(out, "id");
  append_string(out, id);
  out += ',';
  append_key(out, "organizationId");
  append_string(out, organization_id);
  out += ',';
  append_key(out, "name");
  append_string(out, name);
  out += ',';
  append_key(out, "productTypes");
  out += '[';
  bool first = true;
  ProductTypeSet types = product_types();
  for (std::size_t i = 0; i < kProductTypeCount; ++i) {
    if (!types[i]) continue;
    if (!first) out += ',';
    first = false;
    append_string(out, product_type_name(static_cast<ProductType>(i)));
  }
  out += "],";
  append_key(out, "timeZone");
  append_string(out, time_zone);
  out += ',';
  append_key(out, "tags");
  append_strings(out, tags);
  out += ',';
  append_key(out, "notes");
  append_string(out, notes);
  out += ',';
  append_key(out, "isBoundToConfigTemplate");
  out += bound_to_template ? "true" : "false";
  out += ',';
  append_key(out, "url");
  append_string(out, url);
  append_extra(out, extra);
  out += '}';
  text = std::move(out);
}

void Organization::refresh() {
  std::string out;
  out += '{';
  append_key(out, "id");
  append_string(out, id);
  out += ',';
  append_key(out, "name");
  append_string(out, name);
  out += ',';
  append_key(out, "url");
  append_string(out, url);
  out += ",\"api\":{\"enabled\":true}}";
  text = std::move(out);
}

}  // namespace jobhost::testing::fake_meraki
