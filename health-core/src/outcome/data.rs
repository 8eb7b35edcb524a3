//! Named values an outcome carries beyond its status, in a general form: a circuit's state
//! and counts, a pool's size, a queue's depth (as Spring's `withDetail` and ASP.NET's
//! `Data`).

use std::borrow::Cow;

/// Named values in the order they were added, each text, a number, a bool or more named
/// values. Shown in the `application/health+json` body as members of the check's entry.
///
/// ```
/// # use health_core as health;
/// use health::{Data, DataValue, Outcome};
///
/// let outcome = Outcome::pass().with_data("pool", Data::new().with("size", 8u64).with("idle", 3u64));
/// let pool = outcome.data().get("pool");
/// assert!(matches!(pool, Some(DataValue::Map(m)) if m.get("idle") == Some(&DataValue::Unsigned(3))));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Data {
    entries: Vec<(Cow<'static, str>, DataValue)>,
}

/// One value of [`Data`].
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum DataValue {
    /// Text: a state, a code.
    Text(Cow<'static, str>),
    /// A count.
    Unsigned(u64),
    /// A signed number.
    Signed(i64),
    /// A measure.
    Float(f64),
    /// A flag.
    Bool(bool),
    /// Named values, nested.
    Map(Data),
}

/// The empty data of an outcome that has none.
pub(crate) static EMPTY: Data = Data {
    entries: Vec::new(),
};

impl Data {
    /// No values yet.
    pub fn new() -> Data {
        Data::default()
    }

    /// Adds `name` with `value`; a value already under `name` is replaced where it stands.
    pub fn with(mut self, name: impl Into<Cow<'static, str>>, value: impl Into<DataValue>) -> Data {
        let (name, value) = (name.into(), value.into());
        match self.entries.iter_mut().find(|(n, _)| *n == name) {
            Some((_, old)) => *old = value,
            None => self.entries.push((name, value)),
        }
        self
    }

    /// The value under `name`.
    pub fn get(&self, name: &str) -> Option<&DataValue> {
        self.entries.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Every name and value, in the order added.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &DataValue)> {
        self.entries.iter().map(|(n, v)| (n.as_ref(), v))
    }

    /// Whether there is no value.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

impl From<&'static str> for DataValue {
    fn from(text: &'static str) -> DataValue {
        DataValue::Text(Cow::Borrowed(text))
    }
}

impl From<String> for DataValue {
    fn from(text: String) -> DataValue {
        DataValue::Text(Cow::Owned(text))
    }
}

impl From<u64> for DataValue {
    fn from(n: u64) -> DataValue {
        DataValue::Unsigned(n)
    }
}

impl From<u32> for DataValue {
    fn from(n: u32) -> DataValue {
        DataValue::Unsigned(n.into())
    }
}

impl From<i64> for DataValue {
    fn from(n: i64) -> DataValue {
        DataValue::Signed(n)
    }
}

impl From<i32> for DataValue {
    fn from(n: i32) -> DataValue {
        DataValue::Signed(n.into())
    }
}

impl From<f64> for DataValue {
    fn from(x: f64) -> DataValue {
        DataValue::Float(x)
    }
}

impl From<bool> for DataValue {
    fn from(b: bool) -> DataValue {
        DataValue::Bool(b)
    }
}

impl From<Data> for DataValue {
    fn from(data: Data) -> DataValue {
        DataValue::Map(data)
    }
}

#[cfg(feature = "json")]
mod json {
    use serde::ser::SerializeMap;
    use serde::{Serialize, Serializer};

    use super::{Data, DataValue};

    /// A JSON object, members in order.
    impl Serialize for Data {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut map = serializer.serialize_map(Some(self.entries.len()))?;
            for (name, value) in self.iter() {
                map.serialize_entry(name, value)?;
            }
            map.end()
        }
    }

    /// A JSON string, number, bool or object.
    impl Serialize for DataValue {
        fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            match self {
                DataValue::Text(text) => serializer.serialize_str(text),
                DataValue::Unsigned(n) => serializer.serialize_u64(*n),
                DataValue::Signed(n) => serializer.serialize_i64(*n),
                DataValue::Float(x) => serializer.serialize_f64(*x),
                DataValue::Bool(b) => serializer.serialize_bool(*b),
                DataValue::Map(data) => data.serialize(serializer),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_keep_their_order_and_a_name_is_replaced_in_place() {
        let data = Data::new()
            .with("state", "open")
            .with("calls", 3u64)
            .with("state", String::from("closed"))
            .with("ratio", 0.5)
            .with("drift", -2i64)
            .with("trial", true);
        let names: Vec<&str> = data.iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["state", "calls", "ratio", "drift", "trial"]);
        assert_eq!(data.get("state"), Some(&DataValue::Text("closed".into())));
        assert_eq!(data.get("none"), None);
        assert!(Data::new().is_empty() && !data.is_empty());
    }

    #[cfg(feature = "json")]
    #[test]
    fn serializes_as_an_object_in_order() {
        let data = Data::new().with("state", "open").with("calls", 3u32).with(
            "nested",
            Data::new()
                .with("ok", false)
                .with("x", 1.5)
                .with("d", -1i32),
        );
        assert_eq!(
            serde_json::to_string(&data).unwrap(),
            r#"{"state":"open","calls":3,"nested":{"ok":false,"x":1.5,"d":-1}}"#
        );
    }
}
