# 거절(변경이 이루어지지 않은 이유), 요청과 API 오류, 그리고 거절에 나오는 단계의 이름.
# ../en/errors.ftl과 함께 고칩니다.

refusal-invalid-fields = 고쳐야 할 항목이 있습니다. 각 항목 옆의 안내를 보세요.
refusal-changed-meanwhile = 그사이 다른 사람이 이 내용을 바꾸었습니다. 페이지를 새로 고친 뒤 다시 시도하세요.
refusal-already-exists = 이미 있습니다.
refusal-proposal-not-allowed = “{ $state }” 상태의 제안은 { $event } 처리할 수 없습니다.
refusal-transition-not-allowed = “{ $state }” 상태에서는 이 단계를 진행할 수 없습니다: { $event }.
refusal-reason-required = 사유를 적어 주세요. 관계된 사람에게 보입니다.
refusal-residency-not-pending = 이 신고는 이미 처리되었습니다.
refusal-residency-not-verified = 확인된 거주지만 취소할 수 있습니다.
refusal-role-already-granted = 이 사람은 이 지역에서 이미 이 역할을 맡고 있습니다.
refusal-identity-claimed = 이 본인 확인 정보는 이미 다른 계정에 연결되어 있습니다. 한 사람은 한 계정만 가질 수 있습니다. 잘못된 경우 지원센터에 문의하세요.
refusal-moderation-not-applicable = 지금은 할 수 없습니다: { $action }.
refusal-content-hidden = 운영진이 숨긴 내용입니다.

error-own-comment = 자신의 댓글에는 투표할 수 없습니다.
error-not-author = 작성자만 할 수 있습니다.
error-attachments-closed = 파일은 제안이 초안이거나 검토를 기다리는 동안에만 첨부할 수 있습니다.

error-page-refused = 처리할 수 없었습니다
error-page-refused-text = 요청이 거절되어 아무것도 바뀌지 않았습니다.
error-page-too-large = 올린 내용이 너무 큽니다
error-page-too-large-text = 더 작은 파일이나 더 짧은 글을 보내 주세요.

request-error-form = 양식을 읽을 수 없습니다. 페이지를 새로 고친 뒤 다시 보내 주세요.
request-error-path = 주소에 올바르지 않은 값이 있습니다.
request-error-query = 검색어나 필터에 올바르지 않은 값이 있습니다.
request-error-control = 요청에 제어 문자(NUL 등)가 들어 있습니다. 글자와 줄바꿈만 보내 주세요.
request-error-language = 한국어나 영어를 고르세요.
request-error-no-file = 올릴 파일을 고르세요.

api-error-not-found = 찾을 수 없습니다.
api-error-unauthorized = 올바른 bearer 토큰을 보내세요 (POST /api/v1/auth/token 에서 받을 수 있습니다).
api-error-forbidden = 이 계정은 이 작업을 할 수 없습니다.
api-error-rate-limited = 요청이 너무 많습니다. 잠시 뒤 다시 시도하세요.
api-error-internal = 서버에서 문제가 생겨 기록했습니다.
api-error-too-large = 요청 본문이 너무 큽니다.
api-error-method = 이 경로에서는 이 메서드를 쓸 수 없습니다.
api-error-json-content-type = Content-Type: application/json 헤더와 함께 JSON을 보내세요.
api-error-json-syntax = 본문이 올바른 JSON이 아닙니다.
api-error-json-data = JSON의 모양이 예상과 다릅니다: { $detail }

size-bytes = { $count }바이트
size-kib = { $count }KiB
size-mib = { $count }MiB

proposal-event-submit = 제출
proposal-event-accept = 승인
proposal-event-reject = 반려
proposal-event-support = 지지
proposal-event-forum-participants = 공론장 참여
proposal-event-open-forum = 공론장 개설
proposal-event-answer = 답변
proposal-event-adopt = 채택
proposal-event-close = 종결
proposal-event-expire = 만료

call-event-open = 모집 시작
call-event-close = 모집 마감
call-event-draw = 추첨
call-event-publish = 선정 명단 공개

meeting-event-publish-agenda = 안건 공개
meeting-event-convene = 개회
meeting-event-start = 회의 시작
meeting-event-adjourn = 산회
meeting-event-draft-minutes = 회의록 작성
meeting-event-approve-minutes = 회의록 승인
meeting-event-publish-minutes = 회의록 공개
meeting-event-cancel = 취소

motion-event-debate = 토론
motion-event-open-vote = 표결 시작
motion-event-close-vote = 표결 종료
motion-event-withdraw = 철회

committee-error-no-seats = 위원회에 의석을 하나 이상 두세요.
committee-error-bad-cap = 성별 상한은 50에서 100 사이의 백분율입니다 (입력: { $cap }).
committee-error-ineligible = 신청이 모집 요건 { $count }개를 충족하지 못합니다.
committee-error-parent = 위원회는 이 지역에 속해야 합니다.
committee-error-not-a-member = 위원회의 위원만 할 수 있습니다.
committee-error-panel-not-published = 위촉하기 전에 선정 명단을 공개하세요.
committee-error-not-drawn = 이 사람은 이 모집에서 선정되지 않았습니다.
committee-error-attendance-closed = 출석은 개회 중이거나 회의 중일 때만 기록합니다.
committee-error-no-registrations = 이 회의는 참관 신청을 받지 않습니다.
committee-error-agenda-fixed = 개회한 뒤에는 안건을 바꿀 수 없습니다.
committee-error-not-in-session = 안건 표결은 회의 중에만 다룹니다.
committee-error-no-minutes = 먼저 회의록을 작성하세요.
committee-error-age-band = 연령대는 최소 나이부터 빈틈없이 이어져야 합니다.
committee-error-no-applicants = 신청자가 없어 추첨할 수 없습니다.
committee-error-too-early = 회의는 시작 한 시간 전부터 개회할 수 있습니다 ({ $opens_at }).
committee-error-quota-gender-cap = 성별 상한을 지킬 수 없습니다: 성별마다 상한을 지키면 { $seats }석 중 { $max }석까지만 채울 수 있습니다.
committee-error-quota-strata = “{ $feature }” 기준의 할당을 이 의석 수로 모두 채울 수 없습니다.
committee-error-quota-applicants = 자격 있는 신청자 { $applicants }명으로 { $seats }석을 채울 수 없습니다.
committee-error-quota-age-bands = 연령대는 최소 나이 { $age }세부터 시작해야 합니다.
