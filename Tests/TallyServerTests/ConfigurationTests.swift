import Foundation
import Testing
import TallyServer

@Suite struct ConfigurationTests {
    @Test(arguments: [
        // The second comma on line 2 is at byte offset 36, counting from 0.
        ("{\"plans\": {\n  \"free\": {\"tokens\": 5},,\n}}", "bad.json: is not valid JSON: Invalid value around character 36 (line 2, column 25)"),
        ("", "bad.json: is not valid JSON: Unexpected end of file during JSON parse"),
    ])
    func syntaxErrorNamesLineAndColumn(text: String, expected: String) {
        let error = #expect(throws: ConfigurationError.self) {
            _ = try ServerConfiguration.parse(Data(text.utf8), source: "bad.json")
        }
        #expect(error?.description == expected)
    }
}
