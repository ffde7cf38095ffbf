//! maeul-opinion
