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
        case "completion": completion
        case "help": overview
        default: nil
        }
    }

    static let globalOptions = """
    Global options (before or after the command):
      --server HOST:PORT  tallyd address (default: $TALLY_SERVER, else 127.0.0.1:7600)
      --api-key KEY       API key (default: $TALLY_API_KEY; a server without a
                          configuration file needs none)
      --account ID        account to act on (default: the key's own account)
      --time-zone ZONE    IANA time zone for "today", printed times and --from/--to
                          (default: $TALLY_TIME_ZONE, else this machine's zone)
      --json              print one JSON object whose keys are the protocol's
                          field names; no colours or bars
    """

    static let exitStatus = """
    Exit status: 0 success, 1 an error from the server or the connection
    (or an unreadable file), 2 bad usage.
    """

    static let overview = """
    Usage: tally [global options] COMMAND [options]

    Records and inspects token usage on a tallyd server.

    Commands:
      record      record one agent action's tokens
      summary     token totals, sessions used, top sessions, input/output share
      records     the individual records, newest first
      quota       usage against the plan's monthly caps and when they reset
      import      send the rows of a CSV file as records
      keys new    make an API key and its configuration entry
      completion  print a shell completion script (bash, zsh, fish)
      help        help on a command, such as: tally help import

    \(globalOptions)

    Output: on a terminal, tally draws bars in colour; piped or redirected, it
    prints plain tables. NO_COLOR=1 turns colour off but keeps the bars.
    Use --json in scripts: its keys stay stable.

    Examples:
      tally summary --range 7d
      tally records --limit 50 --utc
      tally quota --account acme

    \(exitStatus)
    """
}
