/// The completion scripts for each shell.
extension CompletionCommand {
    static func bash() -> String {
        var cases = ""
        for command in commands {
            let words = (options[command] ?? []) + globalOptions
            cases += "        \(command)) opts=\"\(words.joined(separator: " "))\" ;;\n"
        }
        var valueCases = ""
        for (option, values) in choices {
            valueCases += "        \(option)) COMPREPLY=($(compgen -W \"\(values.joined(separator: " "))\" -- \"$cur\")); return ;;\n"
        }
        let valueOptions = Arguments.valueNames.sorted().joined(separator: "|")
        return """
        # bash completion for tally. Load it with: source <(tally completion bash)
        _tally() {
            local cur prev command opts i
            cur="${COMP_WORDS[COMP_CWORD]}"
            prev="${COMP_WORDS[COMP_CWORD-1]}"
            case "$prev" in
        \(valueCases)        completion) if [[ "${COMP_WORDS[1]}" == completion ]]; then COMPREPLY=($(compgen -W "\(shells.joined(separator: " "))" -- "$cur")); return; fi ;;
                help) COMPREPLY=($(compgen -W "\(commands.joined(separator: " "))" -- "$cur")); return ;;
                \(valueOptions)) return ;;
            esac
            command=""
            for ((i = 1; i < COMP_CWORD; i++)); do
                case "${COMP_WORDS[i]}" in
                    \(valueOptions)) ((i++)) ;;
                    -*) ;;
                    *) command="${COMP_WORDS[i]}"; break ;;
                esac
            done
            if [[ -z "$command" && "$cur" != -* ]]; then
                COMPREPLY=($(compgen -W "\(commands.joined(separator: " "))" -- "$cur"))
                return
            fi
            case "$command" in
        \(cases)        *) opts="\(globalOptions.joined(separator: " "))" ;;
            esac
            if [[ "$cur" == -* ]]; then
                COMPREPLY=($(compgen -W "$opts" -- "$cur"))
            elif [[ "$command" == import ]]; then
                COMPREPLY=($(compgen -f -- "$cur"))
            elif [[ "$command" == keys ]]; then
                COMPREPLY=($(compgen -W "new" -- "$cur"))
            fi
        }
        complete -F _tally tally
        """
    }

    static func zsh() -> String {
        var cases = ""
        for command in commands {
            let words = (options[command] ?? []) + globalOptions
            cases += "    \(command)) opts=(\(words.joined(separator: " "))) ;;\n"
        }
        let valueOptions = Arguments.valueNames.sorted().joined(separator: "|")
        return """
        #compdef tally
        # zsh completion for tally. Save it as _tally in a directory on $fpath.
        _tally() {
          local -a commands opts
          local command="" i
          commands=(\(commands.joined(separator: " ")))
          for (( i = 2; i < CURRENT; i++ )); do
            case $words[i] in
              (\(valueOptions)) (( i++ )) ;;
              (-*) ;;
              (*) command=$words[i]; break ;;
            esac
          done
          if [[ -z $command && $words[CURRENT] != -* ]]; then
            compadd -a commands
            return
          fi
          case $words[CURRENT-1] in
            --range) compadd today 7d 30d all; return ;;
            --role) compadd agent service admin; return ;;
          esac
          case $command in
        \(cases)    *) opts=(\(globalOptions.joined(separator: " "))) ;;
          esac
          if [[ $words[CURRENT] == -* ]]; then
            compadd -a opts
          elif [[ $command == import ]]; then
            _files -g '*.csv'
          elif [[ $command == completion ]]; then
            compadd \(shells.joined(separator: " "))
          elif [[ $command == help ]]; then
            compadd -a commands
          elif [[ $command == keys ]]; then
            compadd new
          fi
        }
        _tally "$@"
        """
    }

    static func fish() -> String {
        var lines = [
            "# fish completion for tally. Save it as ~/.config/fish/completions/tally.fish",
            "complete -c tally -f",
            "complete -c tally -n __fish_use_subcommand -a '\(commands.joined(separator: " "))'",
        ]
        for option in globalOptions {
            lines.append("complete -c tally -l \(option.dropFirst(2))")
        }
        for command in commands {
            for option in options[command] ?? [] {
                var line = "complete -c tally -n '__fish_seen_subcommand_from \(command)' -l \(option.dropFirst(2))"
                if let values = choices.first(where: { $0.0 == option })?.1 {
                    line += " -x -a '\(values.joined(separator: " "))'"
                }
                lines.append(line)
            }
        }
        lines.append("complete -c tally -n '__fish_seen_subcommand_from import' -F")
        lines.append("complete -c tally -n '__fish_seen_subcommand_from keys' -a new")
        lines.append("complete -c tally -n '__fish_seen_subcommand_from completion' -a '\(shells.joined(separator: " "))'")
        lines.append("complete -c tally -n '__fish_seen_subcommand_from help' -a '\(commands.joined(separator: " "))'")
        return lines.joined(separator: "\n")
    }
}
