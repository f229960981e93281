// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "Tally",
    products: [
        .executable(name: "tallyd", targets: ["tallyd"]),
        .executable(name: "tally", targets: ["tally"]),
        .library(name: "TallyClient", targets: ["TallyClient"]),
    ],
    targets: [
        // protobuf-c's runtime, from Debian's libprotobuf-c-dev.
        .systemLibrary(
            name: "CProtobufC",
            pkgConfig: "libprotobuf-c",
            providers: [.apt(["libprotobuf-c-dev"])]
        ),
        // libcrypto from Debian's libssl-dev: SHA-256 for API key hashes, random keys.
        .systemLibrary(
            name: "COpenSSL",
            pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]
        ),
        // C code that protoc-c generates from Proto/; Proto/generate.sh rewrites it.
        .target(name: "CTallyProto", dependencies: ["CProtobufC"]),
        // Linux system calls that Glibc does not export (epoll, eventfd) and CRC32C.
        .target(name: "CTallySystem"),

        // Socket helpers shared by the server and the client.
        .target(name: "TallySocket", dependencies: ["CTallySystem"]),

        // The metering core: accounts, records, aggregates, quotas, persistence.
        .target(name: "TallyCore", dependencies: ["CTallySystem"], exclude: ["Persistence/FORMAT.md"]),
        // The wire layer: framing and the protobuf codec.
        .target(name: "TallyWire", dependencies: ["CTallyProto", "CProtobufC"]),
        // RPC handlers, authentication and the TCP transport.
        .target(name: "TallyServer", dependencies: ["TallyCore", "TallyWire", "CTallySystem", "TallySocket", "COpenSSL"]),
        .executableTarget(name: "tallyd", dependencies: ["TallyServer"]),

        .target(
            name: "TallyClient",
            dependencies: ["TallyWire", "TallySocket", "CTallySystem"],
            path: "Clients/Swift/TallyClient"
        ),
        .executableTarget(
            name: "tally",
            dependencies: ["TallyClient", "TallyWire", "COpenSSL"],
            path: "Clients/CLI/tally"
        ),

        // Load generator for the benchmarks under Benchmarks/.
        .executableTarget(
            name: "tally-bench",
            dependencies: ["TallyClient", "TallyWire", "TallySocket"],
            path: "Benchmarks/tally-bench"
        ),

        .testTarget(name: "TallyCoreTests", dependencies: ["TallyCore"]),
        .testTarget(name: "TallyWireTests", dependencies: ["TallyWire"]),
        .testTarget(name: "TallyServerTests", dependencies: ["TallyServer", "TallyClient", "TallyCore", "TallyWire"]),
        .testTarget(name: "TallyCLITests", dependencies: [], exclude: ["Expected"]),
        .testTarget(name: "DurabilityTests", dependencies: ["TallyClient", "TallyWire"], exclude: ["README.md"]),
        .testTarget(
            name: "EndToEndTests",
            dependencies: ["TallyClient", "TallyWire"],
            exclude: ["expected_figures.py"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
