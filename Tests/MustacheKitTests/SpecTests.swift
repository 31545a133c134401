import Foundation
import MustacheKit
import Testing

/// The official Mustache spec, read in place from `../shared/mustache-spec/specs` beside the repository.
///
/// The folder is a sibling checkout that a user's clone does not have: there the tests are reported as skipped,
/// with the reason, rather than passing without running.
@Suite("Mustache spec")
struct SpecTests {
    /// The modules the engine implements: every case of each must pass.
    static let modules = [
        "comments", "delimiters", "interpolation", "inverted", "partials", "sections", "~inheritance",
    ]
    /// The modules the engine leaves out, and why.
    static let skippedModules = [
        "~lambdas": "lambdas are impossible: no TemplateValue is a function",
        "~dynamic-names": "dynamic names ({{>*name}}) are refused when a library compiles",
    ]

    static let specsFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("shared/mustache-spec/specs")
    static let specsFolderExists = FileManager.default.fileExists(atPath: specsFolder.path)
    static let cases = loadCases()

    @Test(
        "spec case", .enabled(if: specsFolderExists, "needs ../shared/mustache-spec (absent in a user's clone)"),
        arguments: cases)
    func specCase(_ spec: SpecCase) throws {
        var sources = spec.partials
        sources[SpecCase.templateName] = spec.template
        let library = try TemplateLibrary(sources: sources)
        let rendered = library.render(SpecCase.templateName, spec.data)
        #expect(rendered == spec.expected, "\(spec.description): \(spec.detail)\ntemplate: \(spec.template.debugDescription)")
    }

    @Test(
        "every implemented module has cases",
        .enabled(if: specsFolderExists, "needs ../shared/mustache-spec (absent in a user's clone)"))
    func modulesLoaded() {
        for module in SpecTests.modules {
            #expect(SpecTests.cases.contains { $0.module == module }, "no cases read from \(module).json")
        }
    }

    @Test(
        "every spec file is either run or skipped by name",
        .enabled(if: specsFolderExists, "needs ../shared/mustache-spec (absent in a user's clone)"))
    func everyModuleAccountedFor() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: SpecTests.specsFolder.path)
        for file in files where file.hasSuffix(".json") {
            let module = String(file.dropLast(".json".count))
            #expect(
                SpecTests.modules.contains(module) || SpecTests.skippedModules[module] != nil,
                "\(file) is neither run nor listed as skipped")
        }
    }

    @Test("~lambdas.json", .disabled("skipped: lambdas are impossible, no TemplateValue is a function"))
    func lambdas() {}

    @Test("~dynamic-names.json", .disabled("skipped: dynamic names ({{>*name}}) are refused when a library compiles"))
    func dynamicNames() {}

    static func loadCases() -> [SpecCase] {
        guard specsFolderExists else { return [] }
        var cases: [SpecCase] = []
        for module in modules {
            let url = specsFolder.appendingPathComponent(module + ".json")
            guard let data = try? Data(contentsOf: url),
                case .object(let file)? = try? JSON.parse(Array(data)),
                case .list(let tests)? = file["tests"]
            else {
                continue
            }
            for (number, test) in tests.enumerated() {
                guard case .object(let test) = test else { continue }
                var partials: [String: String] = [:]
                if case .object(let object)? = test["partials"] {
                    for (name, text) in object.fields { if case .string(let text) = text { partials[name] = text } }
                }
                cases.append(
                    SpecCase(
                        module: module, number: number + 1, name: test["name"]?.text ?? "?",
                        detail: test["desc"]?.text ?? "", data: test["data"] ?? .null,
                        template: test["template"]?.text ?? "", partials: partials,
                        expected: test["expected"]?.text ?? ""))
            }
        }
        return cases
    }
}

/// One test of a spec file.
struct SpecCase: Sendable, CustomTestStringConvertible, CustomStringConvertible {
    /// The name the case's own template has in its library, beside the case's partials.
    static let templateName = "spec-case-template"

    let module: String
    let number: Int
    let name: String
    let detail: String
    let data: TemplateValue
    let template: String
    let partials: [String: String]
    let expected: String

    var description: String { "\(module).json #\(number) \(name)" }
    var testDescription: String { description }
}

extension TemplateValue {
    fileprivate var text: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

/// A small JSON reader producing `TemplateValue` directly: `true`/`false` become `.bool`, integers `.int`, other
/// numbers `.double` (no Foundation number bridging to guess booleans from).
enum JSON {
    struct Failure: Error, CustomStringConvertible {
        let offset: Int
        var description: String { "invalid JSON at byte \(offset)" }
    }

    static func parse(_ bytes: [UInt8]) throws -> TemplateValue {
        var reader = Reader(bytes: bytes)
        let value = try reader.value()
        reader.skipWhitespace()
        guard reader.position == bytes.count else { throw Failure(offset: reader.position) }
        return value
    }

    private struct Reader {
        let bytes: [UInt8]
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[position]) { position += 1 }
        }

        mutating func expect(_ literal: String) throws {
            for byte in literal.utf8 {
                guard position < bytes.count, bytes[position] == byte else { throw Failure(offset: position) }
                position += 1
            }
        }

        mutating func value() throws -> TemplateValue {
            skipWhitespace()
            guard position < bytes.count else { throw Failure(offset: position) }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var fields: [String: TemplateValue] = [:]
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return .object(TemplateObject(fields))
                }
                while true {
                    skipWhitespace()
                    let key = try string()
                    skipWhitespace()
                    try expect(":")
                    fields[key] = try value()
                    skipWhitespace()
                    guard position < bytes.count else { throw Failure(offset: position) }
                    position += 1
                    if bytes[position - 1] == UInt8(ascii: "}") { return .object(TemplateObject(fields)) }
                    guard bytes[position - 1] == UInt8(ascii: ",") else { throw Failure(offset: position - 1) }
                }
            case UInt8(ascii: "["):
                position += 1
                var items: [TemplateValue] = []
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    return .list(items)
                }
                while true {
                    items.append(try value())
                    skipWhitespace()
                    guard position < bytes.count else { throw Failure(offset: position) }
                    position += 1
                    if bytes[position - 1] == UInt8(ascii: "]") { return .list(items) }
                    guard bytes[position - 1] == UInt8(ascii: ",") else { throw Failure(offset: position - 1) }
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"):
                try expect("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expect("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expect("null")
                return .null
            default:
                return try number()
            }
        }

        mutating func number() throws -> TemplateValue {
            let start = position
            var integral = true
            while position < bytes.count, "+-0123456789.eE".utf8.contains(bytes[position]) {
                if ".eE".utf8.contains(bytes[position]) { integral = false }
                position += 1
            }
            let text = String(decoding: bytes[start..<position], as: UTF8.self)
            if integral, let value = Int(text) { return .int(value) }
            guard let value = Double(text) else { throw Failure(offset: start) }
            return .double(value)
        }

        mutating func string() throws -> String {
            try expect("\"")
            var scalars = String.UnicodeScalarView()
            var run: [UInt8] = []
            func flush() {
                scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
                run.removeAll()
            }
            while position < bytes.count {
                let byte = bytes[position]
                position += 1
                switch byte {
                case UInt8(ascii: "\""):
                    flush()
                    return String(scalars)
                case UInt8(ascii: "\\"):
                    guard position < bytes.count else { throw Failure(offset: position) }
                    let escape = bytes[position]
                    position += 1
                    switch escape {
                    case UInt8(ascii: "n"): run.append(0x0A)
                    case UInt8(ascii: "t"): run.append(0x09)
                    case UInt8(ascii: "r"): run.append(0x0D)
                    case UInt8(ascii: "b"): run.append(0x08)
                    case UInt8(ascii: "f"): run.append(0x0C)
                    case UInt8(ascii: "u"):
                        var code = try hex4()
                        if (0xD800..<0xDC00).contains(code) {
                            try expect("\\u")
                            let low = try hex4()
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        }
                        flush()
                        scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    default: run.append(escape)
                    }
                default:
                    run.append(byte)
                }
            }
            throw Failure(offset: position)
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count,
                let code = UInt32(String(decoding: bytes[position..<(position + 4)], as: UTF8.self), radix: 16)
            else { throw Failure(offset: position) }
            position += 4
            return code
        }
    }
}
