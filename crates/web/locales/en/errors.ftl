# Refusals (why a change was not made), request and API errors, and the names of the steps they mention.
# Kept in step with ../ko/errors.ftl.

refusal-invalid-fields = Some fields need correcting; see the messages beside them.
refusal-changed-meanwhile = Someone else changed this in the meantime. Reload the page and try again.
refusal-already-exists = This already exists.
refusal-proposal-not-allowed = A proposal that is “{ $state }” cannot be { $event }.
refusal-transition-not-allowed = In the state “{ $state }” this step is not possible: { $event }.
refusal-reason-required = Give a reason: it is shown to the people concerned.
refusal-residency-not-pending = This declaration has already been decided.
refusal-residency-not-verified = Only a verified residence can be revoked.
refusal-role-already-granted = This person already holds this role in this scope.
refusal-identity-claimed = This identity is already linked to another account: one person, one account. Contact the support centre if this is a mistake.
refusal-moderation-not-applicable = This cannot be done now: { $action }.
refusal-content-hidden = This content is hidden by the moderators.

error-own-comment = You cannot vote on your own comment.
error-not-author = Only the author can do this.
error-attachments-closed = Files can be attached only while the proposal is a draft or awaits moderation.

error-page-refused = This could not be done
error-page-refused-text = The request was refused; nothing was changed.
error-page-too-large = The upload is too large
error-page-too-large-text = Send a smaller file or less text.

request-error-form = The form could not be read. Reload the page and send it again.
request-error-path = This address contains a value that is not valid.
request-error-query = The search or filter contains a value that is not valid.
request-error-control = The request contains a control character (such as NUL). Send only text and line breaks.
request-error-language = Choose Korean or English.
request-error-no-file = Choose a file to upload.

api-error-not-found = Not found.
api-error-unauthorized = Send a valid bearer token (POST /api/v1/auth/token gives one).
api-error-forbidden = This account may not do this.
api-error-rate-limited = Too many requests; wait a moment before trying again.
api-error-internal = Something went wrong on the server; it has been logged.
api-error-too-large = The request body is too large.
api-error-method = This method is not allowed on this path.
api-error-json-content-type = Send JSON with the header Content-Type: application/json.
api-error-json-syntax = The body is not valid JSON.
api-error-json-data = The JSON does not have the expected shape: { $detail }

size-bytes = { $count ->
    [one] 1 byte
   *[other] { $count } bytes
}
size-kib = { $count } KiB
size-mib = { $count } MiB

proposal-event-submit = submitted
proposal-event-accept = accepted
proposal-event-reject = rejected
proposal-event-support = supported
proposal-event-forum-participants = joined in a forum
proposal-event-open-forum = given a forum
proposal-event-answer = answered
proposal-event-adopt = adopted
proposal-event-close = closed
proposal-event-expire = expired

call-event-open = opening the call
call-event-close = closing the call
call-event-draw = drawing the panel
call-event-publish = publishing the panel

meeting-event-publish-agenda = publishing the agenda
meeting-event-convene = convening
meeting-event-start = starting the session
meeting-event-adjourn = adjourning
meeting-event-draft-minutes = drafting the minutes
meeting-event-approve-minutes = approving the minutes
meeting-event-publish-minutes = publishing the minutes
meeting-event-cancel = cancelling

motion-event-debate = debating
motion-event-open-vote = opening the vote
motion-event-close-vote = closing the vote
motion-event-withdraw = withdrawing

committee-error-no-seats = Give the committee at least one seat.
committee-error-bad-cap = A gender cap is a percentage from 50 to 100 (given: { $cap }).
committee-error-ineligible = { $count ->
    [one] The application does not meet one requirement of the call.
   *[other] The application does not meet { $count } requirements of the call.
}
committee-error-parent = The committee must belong to this scope.
committee-error-not-a-member = Only members of the committee can do this.
committee-error-panel-not-published = Publish the panel before appointing from it.
committee-error-not-drawn = This person was not drawn by this call.
committee-error-attendance-closed = Attendance is recorded only while the meeting is convened or in session.
committee-error-no-registrations = This meeting takes no registrations.
committee-error-agenda-fixed = The agenda is fixed once the meeting has convened.
committee-error-not-in-session = Motions are handled only while the meeting is in session.
committee-error-no-minutes = Write the minutes first.
committee-error-age-band = Age bands must run without gaps from the minimum age.
committee-error-no-applicants = Nobody has applied, so there is nothing to draw.
committee-error-too-early = A meeting convenes no earlier than an hour before its start ({ $opens_at }).
committee-error-quota-gender-cap = The gender cap cannot be met: with every gender under its cap, at most { $max } of the { $seats } seats can be filled.
committee-error-quota-strata = The quotas of “{ $feature }” cannot all be met with these seats.
committee-error-quota-applicants = { $applicants } eligible applicants cannot fill { $seats } seats.
committee-error-quota-age-bands = The age bands must start at the minimum age, { $age }.
