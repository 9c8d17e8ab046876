//! [`Nullable`]: a request-body property that can be left out, sent as `null`, or sent with a value.

/// A property of a request body that the spec marks both optional and nullable, where GitHub tells the three
/// apart: left out, an update leaves the current value unchanged; `null` clears it; a value sets it.
///
/// The generator uses it only for such properties of request bodies (and what they contain); everywhere else
/// "absent or null" is an `Option`. The property is declared
/// `#[serde(default, skip_serializing_if = "Nullable::is_absent")]`, so [`Nullable::Absent`] is not sent at all.
///
/// ```
/// use github_actions_api::runtime::Nullable;
///
/// let keep: Nullable<i64> = Nullable::Absent;
/// let clear: Nullable<i64> = Nullable::Null;
/// let set: Nullable<i64> = 42.into();
/// assert!(keep.is_absent() && clear.is_null());
/// assert_eq!(set.as_option(), Some(&42));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not sent: GitHub keeps the current value (or, on creation, uses its default).
    #[default]
    Absent,
    /// Sent as `null`: GitHub clears the value.
    Null,
    /// Sent as this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the property is left out of the body.
    pub fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// Whether the property is sent as `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// The value, if one is set.
    pub fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }

    /// The value, if one is set.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(value) => Some(value),
            Nullable::Absent | Nullable::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Nullable::Value(value)
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Only reached if a container does not skip absent properties; `null` is the closest JSON has.
            Nullable::Absent | Nullable::Null => serializer.serialize_none(),
            Nullable::Value(value) => serializer.serialize_some(value),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    /// A present property is `Null` or `Value`; an absent one is `Absent` through `#[serde(default)]`.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Body {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        field: Nullable<i64>,
    }

    #[test]
    fn three_states_round_trip() {
        for (value, json) in
            [(Nullable::Absent, "{}"), (Nullable::Null, r#"{"field":null}"#), (Nullable::Value(7), r#"{"field":7}"#)]
        {
            let body = Body { field: value };
            assert_eq!(serde_json::to_string(&body).unwrap(), json);
            assert_eq!(serde_json::from_str::<Body>(json).unwrap(), body);
        }
    }
}
