//! maeul-pb
