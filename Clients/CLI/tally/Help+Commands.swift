/// The help text of each command.
extension Help {
    static let record = """
    Usage: tally record --session ID [--input N] [--output N] [--decisions N]
                        [--event-id ID] [--timestamp TIME]

    Records one action. Exits 0 only when the server stored the record or
    already had it under the same event id.

      --session ID      session the action belongs to (1 to 128 bytes; required)
      --input N         input tokens (default 0)
      --output N        output tokens (default 0)
      --decisions N     policy decisions (default 0)
      --event-id ID     retry-safe id: a record sent twice with the same id is
                        counted once (default: none)
      --timestamp TIME  ISO 8601 time; without an offset it is read in --time-zone
                        (default: when the server receives the record)

    Example:
      tally record --session build-42 --input 1200 --output 340 --event-id run7-step3

    \(globalOptions)

    \(exitStatus)
    """

    static let summary = """
    Usage: tally summary [--range today|7d|30d|all | --from TIME --to TIME]
                         [--top N] [--wide]

    Prints total, input and output tokens, sessions used, the range in local
    time, the sessions with the most tokens and the share of input to output
    tokens. On a terminal the sessions are bars with input and output side by
    side in one bar, and the exact counts beside it.

      --range R     today, 7d (the last seven calendar days, today included),
                    30d or all (default all)
      --from TIME   start of an explicit range, inclusive (ISO 8601; a date
                    alone means midnight in --time-zone)
      --to TIME     end of an explicit range, exclusive
      --top N       sessions to list, 1 to 1000 (default 10)
      --wide        print session ids in full; by default ids longer than 24
                    characters are shortened in the middle

    Examples:
      tally summary --range 7d --time-zone Europe/Berlin
      tally summary --from 2026-12-01 --to 2026-12-08 --top 3

    \(globalOptions)

    \(exitStatus)
    """

    static let records = """
    Usage: tally records [--range R | --from TIME --to TIME] [--session ID]
                         [--limit N | --all] [--page-token TOKEN] [--utc]

    Prints records newest first, a page at a time: timestamp, session id,
    input, output and total tokens. When more records follow, the last line
    gives the command for the next page.

      --range R           today, 7d, 30d or all (default all)
      --from TIME         start of an explicit range, inclusive (ISO 8601)
      --to TIME           end of an explicit range, exclusive
      --session ID        only this session's records (default: all sessions)
      --limit N           records per page, 1 to 1000 and at most the
                          server's maximum page size (default 20)
      --all               every page, one after another
      --page-token TOKEN  continue where a previous page ended
      --utc               print times in UTC instead of --time-zone

    Examples:
      tally records --range today --limit 50
      tally records --session build-42 --all --json

    \(globalOptions)

    \(exitStatus)
    """

    static let quota = """
    Usage: tally quota [--session ID] [--at TIME]

    Prints, for each resource (tokens, decisions, sessions), used / limit, a
    bar with marks at 75% and 90% of the cap on a terminal, the percentage and
    the amount remaining. Then when the billing period resets, in local time
    and how long from now, which caps are reached and until when records are
    rejected, and the notifications fired in the period.

      --session ID  also tell whether this session may act now
      --at TIME     report the billing period containing TIME (ISO 8601;
                    default now)

    Examples:
      tally quota
      tally quota --account acme --session build-42

    \(globalOptions)

    \(exitStatus)
    """

    static let importText = """
    Usage: tally import FILE.csv [column options] [--session-window DURATION]
                        [--batch-size N] [--no-progress]

    Sends each row of a CSV file with a header line as one record, in file
    order, in batches. Rows are retry-safe: a row without an event id gets
    FILE-NAME:LINE-NUMBER, so importing the same file twice stores nothing new.
    On a terminal, a progress bar on standard error shows rows sent, rows per
    second and the time left. Ends with the counts accepted, duplicates and
    rejected by reason. Exits 0 once every row has a result, also when the
    server rejected some of them (for example past a quota cap).

      --timestamp-column NAME  ISO 8601 times; no offset means UTC
                               (default timestamp)
      --session-column NAME    default session_id
      --input-column NAME      input tokens (default input_tokens)
      --output-column NAME     output tokens (default output_tokens)
      --decisions-column NAME  default decisions (optional column)
      --event-id-column NAME   default event_id (optional column)
      --session-window D       without a session column: the session id is the
                               start of the row's window in ISO 8601 UTC
                               (2023-11-16T18:15:00Z); D is a number and a unit
                               s, m, h or d, such as 30s, 1m, 5m, 1h
      --batch-size N           records per request, 1 to 10000 (default 1000;
                               lowered to the server's maximum when that is less)
      --no-progress            no progress bar, even on a terminal

    Examples:
      tally import usage.csv
      tally import AzureLLMInferenceTrace_code.csv --timestamp-column TIMESTAMP \\
        --input-column ContextTokens --output-column GeneratedTokens --session-window 1m

    \(globalOptions)

    \(exitStatus)
    """

    static let keys = """
    Usage: tally keys new [--role agent|service|admin] [--account ID] [--name LABEL]

    Prints a new random API key and the entry to add to the "keys" array of
    the tallyd configuration file. tallyd stores only the key's SHA-256, never
    the key itself. Needs no server.

      --role R      agent (one account; the default), service (reads summaries
                    and quotas of any account) or admin (everything)
      --account ID  the account of an agent key (required for agent keys)
      --name LABEL  a name that tallyd logs instead of the key (default: none)
      --json        print the key and the entry as one JSON object

    Example:
      tally keys new --role agent --account acme --name build-bot

    \(exitStatus)
    """

    static let completion = """
    Usage: tally completion bash|zsh|fish

    Prints a script that completes tally's commands, options and option
    values in the given shell. Needs no server.

    Examples:
      source <(tally completion bash)
      tally completion zsh > "${fpath[1]}/_tally"
      tally completion fish > ~/.config/fish/completions/tally.fish

    \(exitStatus)
    """
}
