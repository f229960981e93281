from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from typing import ClassVar as _ClassVar, Iterable as _Iterable, Mapping as _Mapping, Optional as _Optional, Union as _Union

ABORTED: Code
ALREADY_EXISTS: Code
CANCELLED: Code
DATA_LOSS: Code
DEADLINE_EXCEEDED: Code
DESCRIPTOR: _descriptor.FileDescriptor
FAILED_PRECONDITION: Code
INTERNAL: Code
INVALID_ARGUMENT: Code
NOT_FOUND: Code
OK: Code
OUT_OF_RANGE: Code
PERMISSION_DENIED: Code
PRESET_ALL_TIME: Preset
PRESET_LAST_30_DAYS: Preset
PRESET_LAST_7_DAYS: Preset
PRESET_TODAY: Preset
PRESET_UNSPECIFIED: Preset
RESOURCE_DECISIONS: Resource
RESOURCE_EXHAUSTED: Code
RESOURCE_SESSIONS: Resource
RESOURCE_TOKENS: Resource
RESOURCE_UNSPECIFIED: Resource
ROLE_ADMIN: Role
ROLE_AGENT: Role
ROLE_SERVICE: Role
ROLE_UNSPECIFIED: Role
UNAUTHENTICATED: Code
UNAVAILABLE: Code
UNIMPLEMENTED: Code
UNKNOWN: Code

class GetQuotaRequest(_message.Message):
    __slots__ = ["account_id", "at_ms", "session_id"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    AT_MS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    at_ms: int
    session_id: str
    def __init__(self, account_id: _Optional[str] = ..., session_id: _Optional[str] = ..., at_ms: _Optional[int] = ...) -> None: ...

class GetQuotaResponse(_message.Message):
    __slots__ = ["account_id", "notifications", "period_end_ms", "period_start_ms", "plan", "resources", "session_allowed", "session_denied_reason", "time_zone"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_END_MS_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_MS_FIELD_NUMBER: _ClassVar[int]
    PLAN_FIELD_NUMBER: _ClassVar[int]
    RESOURCES_FIELD_NUMBER: _ClassVar[int]
    SESSION_ALLOWED_FIELD_NUMBER: _ClassVar[int]
    SESSION_DENIED_REASON_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    notifications: _containers.RepeatedCompositeFieldContainer[Notification]
    period_end_ms: int
    period_start_ms: int
    plan: str
    resources: _containers.RepeatedCompositeFieldContainer[ResourceQuota]
    session_allowed: bool
    session_denied_reason: str
    time_zone: str
    def __init__(self, plan: _Optional[str] = ..., period_start_ms: _Optional[int] = ..., period_end_ms: _Optional[int] = ..., resources: _Optional[_Iterable[_Union[ResourceQuota, _Mapping]]] = ..., notifications: _Optional[_Iterable[_Union[Notification, _Mapping]]] = ..., session_allowed: bool = ..., session_denied_reason: _Optional[str] = ..., time_zone: _Optional[str] = ..., account_id: _Optional[str] = ...) -> None: ...

class GetSummaryRequest(_message.Message):
    __slots__ = ["account_id", "max_sessions", "range"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    MAX_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    RANGE_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    max_sessions: int
    range: TimeRange
    def __init__(self, account_id: _Optional[str] = ..., range: _Optional[_Union[TimeRange, _Mapping]] = ..., max_sessions: _Optional[int] = ...) -> None: ...

class GetSummaryResponse(_message.Message):
    __slots__ = ["decisions", "end_ms", "input_tokens", "output_tokens", "records", "sessions", "sessions_used", "start_ms", "time_zone", "total_tokens"]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    END_MS_FIELD_NUMBER: _ClassVar[int]
    INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_FIELD_NUMBER: _ClassVar[int]
    SESSIONS_USED_FIELD_NUMBER: _ClassVar[int]
    START_MS_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    decisions: int
    end_ms: int
    input_tokens: int
    output_tokens: int
    records: int
    sessions: _containers.RepeatedCompositeFieldContainer[SessionUsage]
    sessions_used: int
    start_ms: int
    time_zone: str
    total_tokens: int
    def __init__(self, total_tokens: _Optional[int] = ..., input_tokens: _Optional[int] = ..., output_tokens: _Optional[int] = ..., sessions_used: _Optional[int] = ..., sessions: _Optional[_Iterable[_Union[SessionUsage, _Mapping]]] = ..., start_ms: _Optional[int] = ..., end_ms: _Optional[int] = ..., records: _Optional[int] = ..., decisions: _Optional[int] = ..., time_zone: _Optional[str] = ...) -> None: ...

class HelloRequest(_message.Message):
    __slots__ = ["api_key", "client_name", "protocol_version"]
    API_KEY_FIELD_NUMBER: _ClassVar[int]
    CLIENT_NAME_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    api_key: str
    client_name: str
    protocol_version: int
    def __init__(self, protocol_version: _Optional[int] = ..., api_key: _Optional[str] = ..., client_name: _Optional[str] = ...) -> None: ...

class HelloResponse(_message.Message):
    __slots__ = ["account_id", "limits", "protocol_version", "role", "server_version"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    LIMITS_FIELD_NUMBER: _ClassVar[int]
    PROTOCOL_VERSION_FIELD_NUMBER: _ClassVar[int]
    ROLE_FIELD_NUMBER: _ClassVar[int]
    SERVER_VERSION_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    limits: Limits
    protocol_version: int
    role: Role
    server_version: str
    def __init__(self, protocol_version: _Optional[int] = ..., server_version: _Optional[str] = ..., account_id: _Optional[str] = ..., role: _Optional[_Union[Role, str]] = ..., limits: _Optional[_Union[Limits, _Mapping]] = ...) -> None: ...

class Limits(_message.Message):
    __slots__ = ["max_batch_records", "max_event_id_bytes", "max_frame_bytes", "max_in_flight", "max_page_size", "max_session_id_bytes", "max_summary_sessions"]
    MAX_BATCH_RECORDS_FIELD_NUMBER: _ClassVar[int]
    MAX_EVENT_ID_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_FRAME_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_IN_FLIGHT_FIELD_NUMBER: _ClassVar[int]
    MAX_PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    MAX_SESSION_ID_BYTES_FIELD_NUMBER: _ClassVar[int]
    MAX_SUMMARY_SESSIONS_FIELD_NUMBER: _ClassVar[int]
    max_batch_records: int
    max_event_id_bytes: int
    max_frame_bytes: int
    max_in_flight: int
    max_page_size: int
    max_session_id_bytes: int
    max_summary_sessions: int
    def __init__(self, max_frame_bytes: _Optional[int] = ..., max_batch_records: _Optional[int] = ..., max_session_id_bytes: _Optional[int] = ..., max_event_id_bytes: _Optional[int] = ..., max_page_size: _Optional[int] = ..., max_in_flight: _Optional[int] = ..., max_summary_sessions: _Optional[int] = ...) -> None: ...

class ListRecordsRequest(_message.Message):
    __slots__ = ["account_id", "page_size", "page_token", "range", "session_id"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    PAGE_SIZE_FIELD_NUMBER: _ClassVar[int]
    PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RANGE_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    page_size: int
    page_token: str
    range: TimeRange
    session_id: str
    def __init__(self, account_id: _Optional[str] = ..., range: _Optional[_Union[TimeRange, _Mapping]] = ..., session_id: _Optional[str] = ..., page_size: _Optional[int] = ..., page_token: _Optional[str] = ...) -> None: ...

class ListRecordsResponse(_message.Message):
    __slots__ = ["end_ms", "next_page_token", "records", "start_ms"]
    END_MS_FIELD_NUMBER: _ClassVar[int]
    NEXT_PAGE_TOKEN_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    START_MS_FIELD_NUMBER: _ClassVar[int]
    end_ms: int
    next_page_token: str
    records: _containers.RepeatedCompositeFieldContainer[StoredRecord]
    start_ms: int
    def __init__(self, records: _Optional[_Iterable[_Union[StoredRecord, _Mapping]]] = ..., next_page_token: _Optional[str] = ..., start_ms: _Optional[int] = ..., end_ms: _Optional[int] = ...) -> None: ...

class Notification(_message.Message):
    __slots__ = ["crossed_at_ms", "limit", "period_start_ms", "resource", "threshold_percent", "used"]
    CROSSED_AT_MS_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    PERIOD_START_MS_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    THRESHOLD_PERCENT_FIELD_NUMBER: _ClassVar[int]
    USED_FIELD_NUMBER: _ClassVar[int]
    crossed_at_ms: int
    limit: int
    period_start_ms: int
    resource: Resource
    threshold_percent: int
    used: int
    def __init__(self, resource: _Optional[_Union[Resource, str]] = ..., threshold_percent: _Optional[int] = ..., used: _Optional[int] = ..., limit: _Optional[int] = ..., crossed_at_ms: _Optional[int] = ..., period_start_ms: _Optional[int] = ...) -> None: ...

class RecordResult(_message.Message):
    __slots__ = ["duplicate", "message", "notifications", "status", "timestamp_ms"]
    DUPLICATE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATIONS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_MS_FIELD_NUMBER: _ClassVar[int]
    duplicate: bool
    message: str
    notifications: _containers.RepeatedCompositeFieldContainer[Notification]
    status: Code
    timestamp_ms: int
    def __init__(self, status: _Optional[_Union[Code, str]] = ..., message: _Optional[str] = ..., duplicate: bool = ..., notifications: _Optional[_Iterable[_Union[Notification, _Mapping]]] = ..., timestamp_ms: _Optional[int] = ...) -> None: ...

class RecordUsageRequest(_message.Message):
    __slots__ = ["account_id", "records"]
    ACCOUNT_ID_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    account_id: str
    records: _containers.RepeatedCompositeFieldContainer[UsageRecord]
    def __init__(self, account_id: _Optional[str] = ..., records: _Optional[_Iterable[_Union[UsageRecord, _Mapping]]] = ...) -> None: ...

class RecordUsageResponse(_message.Message):
    __slots__ = ["results"]
    RESULTS_FIELD_NUMBER: _ClassVar[int]
    results: _containers.RepeatedCompositeFieldContainer[RecordResult]
    def __init__(self, results: _Optional[_Iterable[_Union[RecordResult, _Mapping]]] = ...) -> None: ...

class ResourceQuota(_message.Message):
    __slots__ = ["exhausted", "limit", "remaining", "resource", "unlimited", "used"]
    EXHAUSTED_FIELD_NUMBER: _ClassVar[int]
    LIMIT_FIELD_NUMBER: _ClassVar[int]
    REMAINING_FIELD_NUMBER: _ClassVar[int]
    RESOURCE_FIELD_NUMBER: _ClassVar[int]
    UNLIMITED_FIELD_NUMBER: _ClassVar[int]
    USED_FIELD_NUMBER: _ClassVar[int]
    exhausted: bool
    limit: int
    remaining: int
    resource: Resource
    unlimited: bool
    used: int
    def __init__(self, resource: _Optional[_Union[Resource, str]] = ..., used: _Optional[int] = ..., limit: _Optional[int] = ..., remaining: _Optional[int] = ..., exhausted: bool = ..., unlimited: bool = ...) -> None: ...

class SessionUsage(_message.Message):
    __slots__ = ["input_tokens", "output_tokens", "records", "session_id", "total_tokens"]
    INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    RECORDS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    input_tokens: int
    output_tokens: int
    records: int
    session_id: str
    total_tokens: int
    def __init__(self, session_id: _Optional[str] = ..., input_tokens: _Optional[int] = ..., output_tokens: _Optional[int] = ..., total_tokens: _Optional[int] = ..., records: _Optional[int] = ...) -> None: ...

class StoredRecord(_message.Message):
    __slots__ = ["decisions", "event_id", "input_tokens", "output_tokens", "session_id", "timestamp_ms", "total_tokens"]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_MS_FIELD_NUMBER: _ClassVar[int]
    TOTAL_TOKENS_FIELD_NUMBER: _ClassVar[int]
    decisions: int
    event_id: str
    input_tokens: int
    output_tokens: int
    session_id: str
    timestamp_ms: int
    total_tokens: int
    def __init__(self, timestamp_ms: _Optional[int] = ..., session_id: _Optional[str] = ..., input_tokens: _Optional[int] = ..., output_tokens: _Optional[int] = ..., total_tokens: _Optional[int] = ..., decisions: _Optional[int] = ..., event_id: _Optional[str] = ...) -> None: ...

class TimeRange(_message.Message):
    __slots__ = ["end_ms", "preset", "start_ms", "time_zone"]
    END_MS_FIELD_NUMBER: _ClassVar[int]
    PRESET_FIELD_NUMBER: _ClassVar[int]
    START_MS_FIELD_NUMBER: _ClassVar[int]
    TIME_ZONE_FIELD_NUMBER: _ClassVar[int]
    end_ms: int
    preset: Preset
    start_ms: int
    time_zone: str
    def __init__(self, preset: _Optional[_Union[Preset, str]] = ..., start_ms: _Optional[int] = ..., end_ms: _Optional[int] = ..., time_zone: _Optional[str] = ...) -> None: ...

class UsageRecord(_message.Message):
    __slots__ = ["decisions", "event_id", "input_tokens", "output_tokens", "session_id", "timestamp_ms"]
    DECISIONS_FIELD_NUMBER: _ClassVar[int]
    EVENT_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    OUTPUT_TOKENS_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    TIMESTAMP_MS_FIELD_NUMBER: _ClassVar[int]
    decisions: int
    event_id: str
    input_tokens: int
    output_tokens: int
    session_id: str
    timestamp_ms: int
    def __init__(self, event_id: _Optional[str] = ..., session_id: _Optional[str] = ..., timestamp_ms: _Optional[int] = ..., input_tokens: _Optional[int] = ..., output_tokens: _Optional[int] = ..., decisions: _Optional[int] = ...) -> None: ...

class Code(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Role(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Resource(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []

class Preset(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = []
