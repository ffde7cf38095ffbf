//! maeul-domain
