//! What every area's pages and API handlers share: the caller and page context, CSRF, errors and their
//! rendering, extractors with translated rejections, forms, CSV, sessions and cookies.
pub mod auth;
pub mod context;
pub mod crumbs;
pub mod csrf;
pub mod csv;
pub mod error;
pub mod extract;
pub mod forms;
pub mod hostile;
pub mod microcache;
pub mod section;
pub mod upload;

pub use context::{Caller, Ctx, signed_in};
pub use crumbs::Crumbs;
pub use csrf::CsrfForm;
pub use error::{ApiError, PageError, ServiceError, ServiceResult};
pub use extract::{ApiCaller, ApiJson, ApiPath, ApiQuery, ClientIp, PagePath, PageQuery};
pub use forms::{
    Alert, FormErrors, after_form, local_path, notice, page_status, percent_encode, render,
};
