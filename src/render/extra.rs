//! `[extra]`, the unit's own values, as templates see them.

/// `[extra]` for templates: TOML values as JSON, dates and times as the text written in the file
/// ("2026-11-05", "14:30:00"), not toml's internal form.
pub fn json_table(table: &toml::Table) -> serde_json::Map<String, serde_json::Value> {
    table.iter().map(|(k, v)| (k.clone(), json_value(v))).collect()
}

fn json_value(value: &toml::Value) -> serde_json::Value {
    use serde_json::Value as J;
    match value {
        toml::Value::String(s) => J::String(s.clone()),
        toml::Value::Integer(i) => J::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or_else(|| J::String(f.to_string()), J::Number),
        toml::Value::Boolean(b) => J::Bool(*b),
        toml::Value::Datetime(d) => J::String(d.to_string()),
        toml::Value::Array(items) => J::Array(items.iter().map(json_value).collect()),
        toml::Value::Table(table) => J::Object(json_table(table)),
    }
}
