import COpenSSL
import Foundation

/// `tally keys new`: prints a fresh API key and the configuration line that
/// accepts it. Needs no server.
enum KeysCommand {
    static func run(_ arguments: inout Arguments, context: Context) throws(CLIError) {
        guard arguments.positionals.first == "new" else {
            throw .usage("keys takes one subcommand: tally keys new [--role agent|service|admin] [--account ID]")
        }
        let role = arguments.string("--role") ?? "agent"
        let account = arguments.string("--account") ?? (context.account.isEmpty ? nil : context.account)
        let name = arguments.string("--name")
        try arguments.rejectUnknown(positionals: 1)
        guard ["agent", "service", "admin"].contains(role) else {
            throw .usage("--role must be agent, service or admin; got \"\(role)\"")
        }
        if role == "agent" && account == nil {
            throw .usage("an agent key belongs to one account: pass --account ID")
        }
        if role != "agent" && account != nil {
            throw .usage("only agent keys belong to an account; drop --account for a \(role) key")
        }

        var secret = [UInt8](repeating: 0, count: 32)
        guard RAND_bytes(&secret, Int32(secret.count)) == 1 else {
            throw .failure("the system random generator failed; no key was made")
        }
        let key = "tly_" + hex(secret)
        var digest = [UInt8](repeating: 0, count: 32)
        let keyBytes = Array(key.utf8)
        _ = SHA256(keyBytes, keyBytes.count, &digest)

        var entry: [(String, JSONValue)] = [("sha256", .string(hex(digest))), ("role", .string(role))]
        if let account { entry.append(("account", .string(account))) }
        if let name { entry.append(("name", .string(name))) }
        let line = "{" + entry.map { "\(JSONValue.quote($0.0)): \($0.1.rendered())" }.joined(separator: ", ") + "}"
        if context.json {
            print(JSONValue.object([("api_key", .string(key)), ("config_entry", .object(entry))]).rendered())
            return
        }
        print("API key (shown once; give it to the client, store it nowhere else):")
        print("  \(key)")
        print("Add this entry to the \"keys\" array of the tallyd configuration, then send tallyd SIGHUP:")
        print("  \(line)")
    }

    private static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }
}
