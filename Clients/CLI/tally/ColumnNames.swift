/// Column names for `tally import`.
struct ColumnNames {
    var timestamp: String
    /// nil means the default `session_id`, or session windows when `--session-window` is given.
    var session: String?
    var input: String
    var output: String
    var decisions: String
    var eventID: String
}
