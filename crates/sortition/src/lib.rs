//! maeul-sortition
