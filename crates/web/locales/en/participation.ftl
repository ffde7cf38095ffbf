# Debates, follows, notifications, moderation, attachments (public sphere, part 3).

nav-notifications = Notifications
nav-unread = unread
section-debates = Debates
section-debates-empty = No debates yet.
debate-all = All debates
debate-label = Debate
debate-by = Opened by { $name }
debate-new-title = Open a debate
debate-new-intro = A debate for { $scope }: state the question and your opening view. Residents comment for, against or neutral.
debate-open = Open the debate
debate-positions = Positions
debate-your-position = Your position
debate-conclude = Conclude the debate
debate-conclusion = Conclusion
position-for = For
position-against = Against
position-neutral = Neutral
state-debating = Open for debate
state-concluded = Concluded
field-opening-statement = Opening statement
field-location = Location
field-location-hint = Optional: the street, park or building it is about.
profile-link = profile
follow-start = Follow
follow-stop = Unfollow
follow-count = { $count ->
    [one] 1 follower
   *[other] { $count } followers
}
notifications-title = Notifications
notifications-none = No notifications yet. Follow proposals, debates, areas or people to hear what happens.
notifications-new = New
notifications-read-all = Mark all as read
notifications-email-title = E-mail
notifications-email-legend = Send me notifications by e-mail
notifications-save = Save
email-pref-immediate = at once, one e-mail each
email-pref-daily = once a day, as a digest (08:00)
email-pref-off = never
notification-someone = Someone
notification-state-changed = “{ $title }” is now: { $detail }
notification-answered = “{ $title }” received an official answer ({ $detail })
notification-commented = { $actor } commented on “{ $title }”
notification-published = { $actor } published “{ $title }”
notification-hidden-by-reports = Your content on “{ $title }” is hidden after several reports, until a moderator decides.
notification-hidden = Moderators hid your content on “{ $title }”: { $detail }
mail-notification-why = You receive this because you follow this on maeul, or it concerns you.
mail-unsubscribe = Stop these e-mails with one click
mail-digest-subject = { $count ->
    [one] 1 new notification
   *[other] { $count } new notifications
}
mail-digest-intro = What happened since the last digest:
mail-digest-more = …and { $count } more on the site.
unsubscribe-title = Stop notification e-mails
unsubscribe-intro = Press the button to stop all notification e-mails. Notifications stay on the site; you can turn e-mail back on from your notifications page.
unsubscribe-button = Stop e-mails
unsubscribe-done = Done: you will receive no more notification e-mails.
comment-hint = Markdown works. Mention someone with @name; link a proposal with #number.
comment-closed = This discussion is closed to new comments.
comment-hidden = This comment was hidden by moderators.
comment-hidden-badge = hidden by moderators
report-this = Report
report-reason = Reason
report-details = Details (optional)
report-submit = Send report
report-reason-spam = Spam or advertising
report-reason-offensive = Offensive or hateful
report-reason-personal-data = Someone's personal data
report-reason-off-topic = Off topic
report-reason-other = Other
moderation-awaiting = Proposals awaiting acceptance
moderation-reports = Reported content
moderation-reports-none = No open reports.
moderation-content = Moderation of this content
moderation-hide = Hide
moderation-restore = Restore
moderation-dismiss = Dismiss reports
moderation-hidden-notice = Moderators have hidden this. Only its author and moderators can see it; nothing is deleted.
moderation-log = Moderation log
moderation-log-none = No moderation actions yet.
moderation-log-when = When
moderation-log-who = Who
moderation-log-action = Action
moderation-log-what = Content
moderation-automatic = automatic (reports)
moderation-target-proposal = Proposal or debate
moderation-target-comment = Comment
moderation-target-user = Account
moderation-action-hide = hidden
moderation-action-restore = restored
moderation-action-dismiss = reports dismissed
moderation-action-block = blocked
moderation-action-unblock = unblocked
moderation-account = Account moderation
moderation-block = Block this account
moderation-unblock = Unblock this account
user-blocked = This account is blocked.
user-joined = Member since { $date }
user-published = Published proposals and debates
user-published-none = Nothing published yet.
attachments-title = Attachments
attachments-add = Attach a file
attachments-hint = PDF, PNG or JPEG, at most 5 MB each, 3 per proposal.
attachments-upload = Upload
search-kind = Type
search-from = Created from
search-until = Created until
search-sort-commented = Most commented
search-comments = Comments
notice-not-supported = You had not supported this proposal.
notice-debate-opened = Your debate is open.
notice-debate-concluded = The debate is concluded.
notice-attached = File attached.
notice-reported = Thank you: moderators will look at your report.
notice-already-reported = You have already reported this.
notice-moderated = Done. The action is in the moderation log.
notice-preferences-saved = Preferences saved.
error-attachment-empty = Choose a file to attach.
error-attachment-too-large = The file is too large: at most { $megabytes } MB.
error-attachment-type = Only PDF, PNG and JPEG files can be attached.
error-attachment-too-many = A proposal can hold at most { $max } files.
error-block-self = You cannot block your own account.
error-comments-closed = This discussion takes no new comments.
error-debate-no-support = Debates are not supported; comment with your position instead.
error-debate-concluded = The debate is already concluded.
error-follow-self = You cannot follow yourself.
error-position = Choose for, against or neutral.
error-reason-required = Give a reason: the author is told why.
error-report-reason = Choose a reason for the report.
error-report-target = Only proposals, debates and comments can be reported.
login-blocked = This account is blocked by the moderators. Contact the support centre if you think this is a mistake.
proposal-draft-title = This is a draft
proposal-draft-hint = Only you can see it. Submit it when it is ready: a moderator checks it before it is public.
ladder-title = How proposals progress here
ladder-days = answer due in { $days } days
ladder-own = This area sets its own thresholds.
ladder-inherited = Thresholds set by { $scope }.
ladder-default = The city's thresholds (Democracy Seoul's rules).
ladder-answer-at = Supporters for an answer from the department
ladder-forum-at = Supporters for a public forum
ladder-head-at = Forum participants for an answer from the head
ladder-answer-days = Days to answer
ladder-save = Save thresholds
ladder-inherit = Use the thresholds of the area above
ladder-error-number = Every field needs a whole number.
ladder-error-zero = Every threshold must be at least 1.
ladder-error-order = The forum cannot open before the department must answer.
ladder-error-days = Answers are due in 1 to 365 days.
ladder-error-high = Thresholds are at most 10,000,000.
admin-jobs = Background jobs
admin-jobs-pending = { $count } waiting or scheduled.
admin-jobs-kind = Kind
admin-jobs-due = Due
admin-jobs-attempts = Attempts
admin-jobs-status = Status
admin-jobs-done = done
admin-jobs-failed = failed, will retry
admin-jobs-waiting = waiting

# Debate positions, the open forum and settling an answered proposal; moderation reasons.
debate-positions-for = { $count ->
    [one] 1 person for
   *[other] { $count } people for
}
debate-positions-against = { $count ->
    [one] 1 person against
   *[other] { $count } people against
}
debate-positions-neutral = { $count ->
    [one] 1 person neutral
   *[other] { $count } people neutral
}
forum-title = Public forum
forum-intro = The proposal reached the forum threshold: residents discuss it in the comments below, and when enough take part the head of the area must answer in person.
forum-participants = { $count ->
    [one] 1 participant so far
   *[other] { $count } participants so far
}
forum-take-part = Take part: add your comment
settle-title = Settle the proposal
settle-intro = The proposal has its answer. Adopt it if it will be carried out; close it otherwise. Followers are told either way.
settle-adopt = Adopt
settle-close = Close
moderation-reject-reason = Reason for rejection (the author is told)
moderation-hide-reason = Reason for hiding (the author is told)
moderation-block-reason = Reason for blocking (kept in the log)
moderation-log-reason = Reason
moderation-action-accept = accepted
moderation-action-reject = rejected
item-kind-proposal = Proposal
item-kind-debate = Debate
proposal-history-count = { $count ->
    [one] reached 1 supporter
   *[other] reached { $count } supporters
}
event-kind-state-changed = status change
event-kind-answered = official answer
event-kind-commented = comment
event-kind-published = new proposal or debate
event-kind-hidden = content hidden
job-kind-digest = daily e-mail digest
