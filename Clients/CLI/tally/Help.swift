/// The text of `tally --help` and `tally help COMMAND`.
enum Help {
    static func text(for command: String?) -> String? {
        switch command {
        case nil: overview
        case "record": record
        case "summary": summary
        case "records": records
        case "quota": quota
        case "import": importText
        case "keys": keys
        default: nil
        }
    }

    static let globalOptions = """
    Global options (before or after the command):
      --server HOST:PORT   tallyd address (default: $TALLY_SERVER, else 127.0.0.1:7600)
      --api-key KEY        API key (default: $TALLY_API_KEY; not needed without a server config)
      --account ID         account to act on (default: the key's own account)
      --time-zone ZONE     IANA zone for "today", local times and --from/--to
                           (default: $TALLY_TIME_ZONE, else this machine's zone)
      --json               print one JSON object; keys are the protocol's field names
    """

    static let overview = """
    Usage: tally [global options] COMMAND [options]

    Records and inspects token usage on a tallyd server.

    Commands:
      record    record one agent action's tokens
      summary   totals, sessions used and the top sessions for a range
      records   the individual records, newest first
      quota     usage against the plan's monthly caps
      import    send the rows of a CSV file as records
      keys new  make an API key and its configuration entry
      help      help on a command: tally help import

    \(globalOptions)

    Exit status: 0 success, 1 an error from the server or the connection,
    2 bad usage.
    """

    static let record = """
    Usage: tally record --session ID [--input N] [--output N] [--decisions N]
                        [--event-id ID] [--timestamp TIME]

    Records one action. Exits 0 only when the server stored the record or
    already had it under the same event id.

      --session ID      session the action belongs to (1 to 128 bytes)
      --input N         input tokens (default 0)
      --output N        output tokens (default 0)
      --decisions N     policy decisions (default 0)
      --event-id ID     retry-safe id: a repeat is not counted twice
      --timestamp TIME  ISO 8601 time (default: when the server receives it)

    Example:
      tally record --session build-42 --input 1200 --output 340 --event-id run7-step3

    \(globalOptions)
    """

    static let summary = """
    Usage: tally summary [--range today|7d|30d|all | --from TIME --to TIME] [--top N]

    Prints total, input and output tokens, sessions used and the sessions with
    the most tokens.

      --range R     today, 7d (seven calendar days), 30d or all (default all)
      --from TIME   start of an explicit range, inclusive (ISO 8601; a date
                    alone means local midnight)
      --to TIME     end of an explicit range, exclusive
      --top N       sessions to list, 1 to 1000 (default 10)

    Example:
      tally summary --range 7d --time-zone Europe/Berlin

    \(globalOptions)
    """

    static let records = """
    Usage: tally records [--range R | --from TIME --to TIME] [--session ID]
                         [--limit N | --all] [--page-token TOKEN] [--utc]

    Prints records newest first, a page at a time.

      --range R           today, 7d, 30d or all (default all)
      --session ID        only this session's records
      --limit N           records per page, 1 to 1000 (default 20)
      --all               every page
      --page-token TOKEN  continue where a previous page ended
      --utc               print times in UTC instead of the local zone

    \(globalOptions)
    """

    static let quota = """
    Usage: tally quota [--session ID] [--at TIME]

    Prints usage against each monthly cap, remaining amounts, when the period
    resets and the notifications fired in the period.

      --session ID  also tell whether this session may act now
      --at TIME     report the billing period containing TIME (default now)

    \(globalOptions)
    """

    static let importText = """
    Usage: tally import FILE.csv [column options] [--session-window DURATION]

    Sends each row of a CSV file with a header line as one record, in file
    order, in batches. Rows are retry-safe: a row without an event id gets
    FILE-NAME:LINE-NUMBER, so importing the same file twice stores nothing new.
    Ends with the counts accepted, duplicates and rejected by reason.

      --timestamp-column NAME  default timestamp (ISO 8601; no zone means UTC)
      --session-column NAME    default session_id
      --input-column NAME      default input_tokens
      --output-column NAME     default output_tokens
      --decisions-column NAME  default decisions (optional column)
      --event-id-column NAME   default event_id (optional column)
      --session-window D       without a session column: the session id is the
                               start of the row's window, such as 1m, 5m, 1h,
                               in ISO 8601 UTC (2023-11-16T18:15:00Z)
      --batch-size N           records per request, 1 to 10000 (default 1000)
      --no-progress            no progress bar, even on a terminal

    Example:
      tally import AzureLLMInferenceTrace_code.csv --timestamp-column TIMESTAMP \\
        --input-column ContextTokens --output-column GeneratedTokens --session-window 1m

    \(globalOptions)
    """

    static let keys = """
    Usage: tally keys new [--role agent|service|admin] [--account ID] [--name LABEL]

    Prints a new random API key and the entry to add to the "keys" array of
    the tallyd configuration file. The key itself is never stored by tallyd,
    only its SHA-256.

      --role R      agent (one account, default), service (reads summaries and
                    quotas of any account) or admin (everything)
      --account ID  the account of an agent key
      --name LABEL  a name that tallyd logs instead of the key
    """
}
