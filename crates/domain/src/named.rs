//! Enums stored and shown by name: every state, kind and category of the platform.
//!
//! A stored value decodes into its enum or fails ([`UnknownValue`]): an unknown state in a row is an error,
//! never a silent fallback. Each value also names the Fluent message that labels it for people
//! (`label_id`), so templates show labels from the domain instead of comparing strings.

/// A stored name that matches no value of the enum it should decode to.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {what} {value:?}")]
pub struct UnknownValue {
    pub what: &'static str,
    pub value: String,
}

/// Anything with a label message: a named enum's value, or a reference to one (templates iterate by
/// reference).
pub trait Label {
    fn label_id(&self) -> &'static str;
}

/// What every named enum offers (implemented by [`named_enum!`]).
pub trait Named: Sized + Copy + 'static {
    /// Every value, in display order.
    const ALL: &'static [Self];
    /// The name of the enum, for error messages in logs (`"proposal state"`).
    const WHAT: &'static str;
    /// The stored and URL name (`"collecting"`).
    fn as_str(self) -> &'static str;
    /// The Fluent message id of the value's label (`"state-collecting"`).
    fn label_id(self) -> &'static str;
    /// The value named `s`, if any.
    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|x| x.as_str() == s)
    }
    /// The value named `s`, or an error naming what was unknown.
    fn decode(s: &str) -> Result<Self, UnknownValue> {
        Self::parse(s).ok_or_else(|| UnknownValue {
            what: Self::WHAT,
            value: s.to_owned(),
        })
    }
}

/// Defines an enum whose values have a stored name and a label message id:
///
/// ```
/// maeul_domain::named_enum! {
///     /// Colours.
///     pub enum Colour: "colour", label "colour-" {
///         Red = "red",
///         DarkBlue = "dark_blue",
///     }
/// }
/// use maeul_domain::named::Named;
/// assert_eq!(Colour::DarkBlue.as_str(), "dark_blue");
/// assert_eq!(Colour::DarkBlue.label_id(), "colour-dark_blue");
/// assert_eq!(Colour::parse("red"), Some(Colour::Red));
/// assert!(Colour::try_from("green".to_string()).is_err());
/// ```
/// Label ids are `prefix` + the stored name; [`crate::labels::all_label_ids`] lists them for the
/// catalogue tests.
#[macro_export]
macro_rules! named_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident : $what:literal, label $prefix:literal {
            $( $(#[$vmeta:meta])* $variant:ident = $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $crate::named::Named for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            const WHAT: &'static str = $what;
            fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            fn label_id(self) -> &'static str {
                match self { $($name::$variant => concat!($prefix, $text)),+ }
            }
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: [$name; [$(stringify!($variant)),+].len()] = [$($name::$variant),+];
            /// The stored and URL name.
            pub fn as_str(self) -> &'static str {
                <Self as $crate::named::Named>::as_str(self)
            }
            /// The Fluent message id of this value's label.
            pub fn label_id(self) -> &'static str {
                <Self as $crate::named::Named>::label_id(self)
            }
            /// The value with this stored name, if any.
            pub fn parse(s: &str) -> Option<Self> {
                <Self as $crate::named::Named>::parse(s)
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::named::UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                <Self as $crate::named::Named>::decode(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::named::UnknownValue;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                <Self as $crate::named::Named>::decode(&s)
            }
        }

        impl TryFrom<&str> for $name {
            type Error = $crate::named::UnknownValue;
            fn try_from(s: &str) -> Result<Self, Self::Error> {
                <Self as $crate::named::Named>::decode(s)
            }
        }

        impl $crate::named::Label for $name {
            fn label_id(&self) -> &'static str {
                <Self as $crate::named::Named>::label_id(*self)
            }
        }

        impl $crate::named::Label for &$name {
            fn label_id(&self) -> &'static str {
                <$name as $crate::named::Named>::label_id(**self)
            }
        }

        impl $crate::named::Label for &&$name {
            fn label_id(&self) -> &'static str {
                <$name as $crate::named::Named>::label_id(***self)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// The label ids of `T`'s values.
pub fn label_ids<T: Named>() -> impl Iterator<Item = &'static str> {
    T::ALL.iter().map(|v| v.label_id())
}

#[cfg(test)]
mod tests {
    use super::*;

    named_enum! {
        /// A test enum.
        enum Fruit: "fruit", label "fruit-" {
            Apple = "apple",
            BlackBerry = "black_berry",
        }
    }

    #[test]
    fn names_round_trip_and_unknown_names_are_errors() {
        for f in Fruit::ALL {
            assert_eq!(Fruit::parse(f.as_str()), Some(f));
            assert_eq!(Fruit::try_from(f.as_str().to_string()), Ok(f));
        }
        assert_eq!(Fruit::BlackBerry.label_id(), "fruit-black_berry");
        let err = Fruit::try_from("pear").unwrap_err();
        assert_eq!(err.what, "fruit");
        assert_eq!(err.to_string(), "unknown fruit \"pear\"");
        assert_eq!(label_ids::<Fruit>().count(), 2);
    }
}
