//! Delivery of the outbox by SMTP. Mail is always written to the outbox first (in the request's
//! transaction of record), so nothing is lost if the SMTP server is down: this sender retries later.
//! Without SMTP configured, no sender runs and administrators read the outbox on the admin page.
use std::time::Duration;

use lettre::message::MessageBuilder;
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use maeul_db::Db;

const MAX_ATTEMPTS: i64 = 5;
const BATCH: i64 = 20;

/// An SMTP connection from a URL such as `smtps://user:pass@smtp.example.org` or
/// `smtp://smtp.example.org:587?tls=required`.
pub fn smtp_transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
        .map(|b| b.timeout(Some(Duration::from_secs(20))).build())
        .map_err(|e| format!("invalid SMTP URL: {e}"))
}

/// Sends unsent mail every few seconds until `shutdown` resolves.
pub async fn run_sender(
    db: Db,
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: String,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    loop {
        if let Err(e) = send_batch(&db, &transport, &from).await {
            tracing::warn!(error = %e, "mail batch failed");
        }
        tokio::select! {
            _ = &mut shutdown => return,
            _ = tokio::time::sleep(Duration::from_secs(5)) => {}
        }
    }
}

async fn send_batch(
    db: &Db,
    transport: &AsyncSmtpTransport<Tokio1Executor>,
    from: &str,
) -> Result<(), maeul_db::DbError> {
    for mail in db.unsent_mails(MAX_ATTEMPTS, BATCH).await? {
        let message = (|| -> Result<Message, String> {
            let builder = Message::builder()
                .from(
                    from.parse()
                        .map_err(|e| format!("bad sender address: {e}"))?,
                )
                .to(mail
                    .to_addr
                    .parse()
                    .map_err(|e| format!("bad recipient address: {e}"))?)
                .subject(mail.subject.clone())
                .header(ContentType::TEXT_PLAIN);
            with_unsubscribe(builder, mail.unsubscribe_url.as_deref())
                .body(mail.body.clone())
                .map_err(|e| e.to_string())
        })();
        let result = match message {
            Ok(message) => transport
                .send(message)
                .await
                .map(|_| ())
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        match result {
            Ok(()) => db.mark_mail_sent(mail.id).await?,
            Err(e) => {
                // The error names the server's answer, never the message body (it may hold a reset link).
                tracing::warn!(mail_id = mail.id, error = %e, "mail not delivered");
                db.mark_mail_failed(mail.id, &e).await?;
            }
        }
    }
    Ok(())
}

/// Adds RFC 8058 one-click unsubscribe headers to notification mail: mail clients show an
/// "unsubscribe" button that POSTs to the signed link.
fn with_unsubscribe(builder: MessageBuilder, url: Option<&str>) -> MessageBuilder {
    match url {
        Some(url) => builder
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{url}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            )),
        None => builder,
    }
}
