//! maeul-web
