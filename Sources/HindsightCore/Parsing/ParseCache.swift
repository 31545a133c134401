import Foundation
import GitKit

/// Each file's parse result from the last build into the same folder, found by the key (`ContentKey`) of everything
/// the parse is made from: the file's path and content (its blob id), its history, the configuration and the
/// parser's options. A rebuild parses only the files whose key changed and decodes the others, a tenth of the
/// time a parse takes (Yams, cmark-gfm and the extractors).
///
/// A result is two entries: what the archive, the insights and the list pages read, decoded at once, and the
/// body (`PostMortemBody`: sections, HTML, headings), kept unread and read, checked and decoded only when a page
/// or the search index asks for it. A rebuild that reuses most pages leaves most bodies, two thirds of the
/// bytes, on disk.
///
/// One `CacheFile` beside the output (`.<name>.cache/parse`). The generator's executable is in the file's
/// header, so a new build of Hindsight parses everything again.
public final class ParseCache: Sendable {
    private static let format = "hindsight-parse-3"
    private let store: CacheFile
    private let memo = KeysMemo()

    /// The last keys made, with what they were made for.
    private final class KeysMemo: @unchecked Sendable {
        let lock = NSLock()
        var made: (files: [String], blobs: [ObjectID?], histories: [History?], parser: String, bodies: Set<String>?, keys: [ObjectID?])?
    }

    /// Opens the last build's entries at `file`.
    public init(file: URL, generator: String) {
        store = CacheFile(file: file, format: Self.format, generator: generator)
    }

    /// The result kept under `key` by the last build, else `make()`'s; either is kept for the next build unless
    /// `make` says its result must not be (a file whose contents could not be read is tried again next time).
    /// Called from every parsing thread at once; without a key (hashing failed), just `make()`.
    ///
    /// A cached result's body is read later, when asked for; should its entry be damaged by then, it is made
    /// again by `make`.
    func parse(
        key: ObjectID?, orElse make: @escaping @Sendable () -> (result: (PostMortem?, [Diagnostic]), keep: Bool)
    ) -> (PostMortem?, [Diagnostic]) {
        guard let key else { return make().result }
        if let hit = entry(key, remaking: make) {
            // The body's entry is neither read nor checked now: whoever asks for the body reads it, checks it, and
            // parses the file again should it be damaged (most rebuilds ask for a few bodies of ten thousand).
            if hit.hasBody == false || store.keepUnread(Self.bodyKey(key)) {
                store.append(key, hit.bytes, checksum: hit.checksum)
                return hit.result
            }
        }
        let made = make()
        if made.keep {
            let (head, body) = Self.entries(made.result)
            store.append(key, head)
            if let body { store.append(Self.bodyKey(key), body) }
        }
        return made.result
    }

    /// The parse keys of `files` (path, blob id and history each), from `make` unless the same were asked for
    /// last: reading the uncached files and parsing ask for the same keys.
    func keys(
        _ files: [(path: String, blob: ObjectID?, history: History?)], parser: DocumentParser, readBodies: Set<String>?,
        make: () -> [ObjectID?]
    ) -> [ObjectID?] {
        let (paths, blobs, histories) = (files.map(\.path), files.map(\.blob), files.map(\.history))
        memo.lock.lock()
        let last = memo.made
        memo.lock.unlock()
        if let last, last.parser == parser.identityKey, last.bodies == readBodies, last.files == paths, last.blobs == blobs,
            last.histories == histories
        {
            return last.keys
        }
        let keys = make()
        memo.lock.lock()
        memo.made = (paths, blobs, histories, parser.identityKey, readBodies, keys)
        memo.lock.unlock()
        return keys
    }

    /// Whether the last build kept an entry under `key` (it may still turn out damaged when read).
    func contains(_ key: ObjectID) -> Bool { store.contains(key) }

    /// The last build's result for these inputs, if it kept one, its body read when asked for (and lost, with
    /// nothing to parse again, if it is damaged).
    func cached(_ file: SourceFile, history: History?, body: Bool, with parser: DocumentParser) -> (PostMortem?, [Diagnostic])? {
        Self.key(file, history: history, body: body, parser: parser).flatMap { entry($0, remaking: nil)?.result }
    }

    /// The head entry under `key`, decoded, its post-mortem's body to be read from the body's entry (or, failing
    /// that, from `remake`).
    private func entry(
        _ key: ObjectID, remaking remake: (@Sendable () -> (result: (PostMortem?, [Diagnostic]), keep: Bool))?
    ) -> (result: (PostMortem?, [Diagnostic]), hasBody: Bool, bytes: Data, checksum: UInt64)? {
        guard let hit = store.entry(key) else { return nil }
        let store = self.store
        let bodyKey = Self.bodyKey(key)
        let decoded = Self.decode(hit.bytes) {
            store.entry(bodyKey).flatMap { Self.decodeBody($0.bytes) } ?? remake?().result.0?.body.content
        }
        return decoded.map { ($0.result, $0.hasBody, hit.bytes, hit.checksum) }
    }

    /// Writes the index of the entries this build used (`CacheFile.finish`).
    public func finish() { store.finish() }

    /// The key of the body's entry: the head's key, hashed with a tag.
    static func bodyKey(_ key: ObjectID) -> ObjectID {
        var bytes = Array(key.hex.utf8)
        bytes.append(contentsOf: "\u{0}body".utf8)
        return ContentKey.of(bytes)
    }

    /// The key of the parse's inputs (`ContentKey`); nil if a working tree file's blob id cannot be hashed.
    static func key(_ file: SourceFile, history: History?, body: Bool, parser: DocumentParser) -> ObjectID? {
        var writer = BinaryWriter()
        writer.string(file.path)
        writer.string(file.contentPath)
        // From Git the blob id names the content; from a working tree the content is hashed the same way.
        guard let blob = file.blobID ?? (try? Repository.blobID(hashing: file.data)) else { return nil }
        writer.string(blob.hex)
        writer.bool(history != nil)
        if let history { encode(history, to: &writer) }
        writer.bool(body)
        writer.string(parser.identityKey)
        return ContentKey.of(writer.buffer)
    }

    // MARK: - Encoding

    /// A result's bytes: the head's entry, and the body's when there is a body to keep apart.
    static func entries(_ result: (PostMortem?, [Diagnostic])) -> (head: Data, body: Data?) {
        var head = BinaryWriter()
        var body: BinaryWriter?
        head.bool(result.0 != nil)
        if let pm = result.0 {
            encode(pm, to: &head)
            let content = pm.body.content
            head.bool(content != .empty)
            if content != .empty {
                body = BinaryWriter()
                encode(content, to: &body!)
            }
        }
        head.varint(result.1.count)
        for diagnostic in result.1 {
            head.string(diagnostic.severity.rawValue)
            head.string(diagnostic.message)
            optional(diagnostic.location, to: &head, encode)
        }
        return (head.data, body?.data)
    }

    /// A result from its head's bytes (nil when they do not read back whole), with its body read by `body` when
    /// first asked for, and whether it has one.
    static func decode(
        _ bytes: Data, body: @escaping @Sendable () -> PostMortemBody.Content?
    ) -> (result: (PostMortem?, [Diagnostic]), hasBody: Bool)? {
        var reader = BinaryReader(bytes)
        var pm = reader.bool() ? decodePostMortem(&reader) : nil
        let hasBody = pm != nil && reader.bool()
        if hasBody { pm?.body = PostMortemBody(loading: body) }
        let diagnostics = list(&reader) { reader -> Diagnostic in
            let severity = value(&reader, default: Diagnostic.Severity.error)
            let message = reader.string()
            return Diagnostic(severity, message, at: optional(&reader, decodeLocation))
        }
        return reader.failed || reader.atEnd == false ? nil : ((pm, diagnostics), hasBody)
    }

    private static func encode(_ content: PostMortemBody.Content, to writer: inout BinaryWriter) {
        list(content.sections, to: &writer) { section, writer in
            optional(section.kind, to: &writer) { $1.string($0.rawValue) }
            writer.string(section.heading)
            writer.string(section.anchor)
            writer.string(section.text)
            encode(section.location, to: &writer)
        }
        writer.string(content.bodyHTML)
        list(content.headings, to: &writer) { heading, writer in
            writer.varint(heading.level)
            writer.string(heading.text)
            writer.string(heading.anchor)
        }
    }

    /// A body from its entry's bytes; nil when they do not read back whole.
    static func decodeBody(_ bytes: Data) -> PostMortemBody.Content? {
        var reader = BinaryReader(bytes)
        let sections = list(&reader) { reader in
            let kind = optional(&reader) { value(&$0, default: SectionKind.summary) }
            return Section(
                kind: kind, heading: reader.string(), anchor: reader.string(), text: reader.string(),
                location: decodeLocation(&reader))
        }
        let bodyHTML = reader.string()
        let headings = list(&reader) { reader in
            PostMortem.Heading(level: reader.varint(), text: reader.string(), anchor: reader.string())
        }
        return reader.failed || reader.atEnd == false ? nil : PostMortemBody.Content(sections: sections, bodyHTML: bodyHTML, headings: headings)
    }

    private static func encode(_ pm: PostMortem, to writer: inout BinaryWriter) {
        writer.string(pm.id)
        writer.string(pm.title)
        writer.string(pm.sourcePath)
        optional(pm.blobID, to: &writer) { $1.string($0.hex) }
        optional(pm.date, to: &writer) { day, writer in
            writer.varint(day.year)
            writer.varint(day.month)
            writer.varint(day.day)
        }
        // Sorted: the bytes of one parse are always the same.
        list(pm.origins.sorted { $0.key < $1.key }, to: &writer) { pair, writer in
            writer.string(pair.key.rawValue)
            writer.string(pair.value.rawValue)
        }
        optional(pm.sourceURL, to: &writer) { $1.string($0) }
        writer.varint(pm.dateOrder.monthFirst)
        writer.varint(pm.dateOrder.dayFirst)
        writer.bool(pm.dateOrder.ambiguous)
        optional(pm.severity, to: &writer) { $1.string($0) }
        writer.string(pm.status.rawValue)
        writer.bool(pm.nearMiss)
        strings(pm.services, to: &writer)
        strings(pm.tags, to: &writer)
        optional(pm.ownerTeam, to: &writer) { $1.string($0) }
        strings(pm.related, to: &writer)
        for instant in [pm.times.started, pm.times.detected, pm.times.acknowledged, pm.times.mitigated, pm.times.resolved] {
            optional(instant, to: &writer) { $1.double($0.timeIntervalSince1970) }
        }
        for minutes in [pm.times.statedToDetect, pm.times.statedToRepair, pm.times.statedToResolve] {
            optional(minutes, to: &writer) { $1.varint($0) }
        }
        list(pm.factors, to: &writer) { factor, writer in
            writer.string(factor.text)
            writer.string(factor.type)
            writer.string(factor.contribution)
            encode(factor.location, to: &writer)
        }
        list(pm.actionItems, to: &writer) { item, writer in
            writer.string(item.text)
            optional(item.owner, to: &writer) { $1.string($0) }
            optional(item.priority, to: &writer) { $1.string($0) }
            writer.string(item.status)
            optional(item.ticket, to: &writer) { $1.string($0) }
            optional(item.due, to: &writer) { $1.string($0) }
            encode(item.location, to: &writer)
        }
        list(pm.timeline, to: &writer) { entry, writer in
            writer.string(entry.time)
            optional(entry.timestamp, to: &writer) { $1.double($0.timeIntervalSince1970) }
            writer.string(entry.event)
            encode(entry.location, to: &writer)
        }
        // The body (sections, HTML, headings) is an entry of its own (`entries`).
        writer.string(pm.summary)
        list(pm.extra, to: &writer) { field, writer in
            writer.string(field.key)
            encode(field.value, to: &writer)
        }
        optional(pm.history, to: &writer, encode)
        // Sorted: the bytes of one parse are always the same.
        list(pm.keyLocations.sorted { $0.key < $1.key }, to: &writer) { pair, writer in
            writer.string(pair.key)
            encode(pair.value, to: &writer)
        }
        writer.string(pm.visibility.rawValue)
    }

    private static func decodePostMortem(_ reader: inout BinaryReader) -> PostMortem? {
        let id = reader.string(), title = reader.string(), sourcePath = reader.string()
        let blobID = optional(&reader, decodeID)
        let date = optional(&reader) { reader -> Day? in
            let day = Day(year: reader.varint(), month: reader.varint(), day: reader.varint())
            if day == nil { reader.fail() }
            return day
        } ?? nil
        var origins: [Fact: Origin] = [:]
        for (fact, origin) in list(&reader, { reader in (reader.string(), reader.string()) }) {
            guard let fact = Fact(rawValue: fact), let origin = Origin(rawValue: origin) else {
                reader.fail()
                break
            }
            origins[fact] = origin
        }
        let sourceURL = optional(&reader) { $0.string() }
        let dateOrder = DateOrderEvidence(monthFirst: reader.varint(), dayFirst: reader.varint(), ambiguous: reader.bool())
        let severity = optional(&reader) { $0.string() }
        let status = value(&reader, default: Status.draft)
        let nearMiss = reader.bool()
        let services = strings(&reader), tags = strings(&reader)
        let ownerTeam = optional(&reader) { $0.string() }
        let related = strings(&reader)
        var times = IncidentTimes()
        times.started = optional(&reader, decodeDate)
        times.detected = optional(&reader, decodeDate)
        times.acknowledged = optional(&reader, decodeDate)
        times.mitigated = optional(&reader, decodeDate)
        times.resolved = optional(&reader, decodeDate)
        times.statedToDetect = optional(&reader) { $0.varint() }
        times.statedToRepair = optional(&reader) { $0.varint() }
        times.statedToResolve = optional(&reader) { $0.varint() }
        let factors = list(&reader) { reader in
            ContributingFactor(
                text: reader.string(), type: reader.string(), contribution: reader.string(),
                location: decodeLocation(&reader))
        }
        let actionItems = list(&reader) { reader in
            ActionItem(
                text: reader.string(), owner: optional(&reader) { $0.string() }, priority: optional(&reader) { $0.string() },
                status: reader.string(), ticket: optional(&reader) { $0.string() }, due: optional(&reader) { $0.string() },
                location: decodeLocation(&reader))
        }
        let timeline = list(&reader) { reader in
            TimelineEntry(
                time: reader.string(), timestamp: optional(&reader, decodeDate), event: reader.string(),
                location: decodeLocation(&reader))
        }
        let summary = reader.string()
        let extra = list(&reader) { reader in PostMortem.ExtraField(key: reader.string(), value: decodeValue(&reader)) }
        let history = optional(&reader, decodeHistory)
        var keyLocations: [String: SourceLocation] = [:]
        for (key, location) in list(&reader, { reader in (reader.string(), decodeLocation(&reader)) }) {
            keyLocations[key] = location
        }
        let visibility = value(&reader, default: Visibility.internal)
        guard reader.failed == false else { return nil }
        return PostMortem(
            id: id, title: title, sourcePath: sourcePath, blobID: blobID, date: date,
            dateSource: origins[.date] ?? .unknown, severity: severity, status: status, nearMiss: nearMiss, services: services, tags: tags, ownerTeam: ownerTeam,
            related: related, times: times, factors: factors, actionItems: actionItems, timeline: timeline,
            sections: [], summary: summary, bodyHTML: "", headings: [], extra: extra, history: history,
            keyLocations: keyLocations, visibility: visibility, origins: origins, sourceURL: sourceURL,
            dateOrder: dateOrder)
    }

    private static func encode(_ location: SourceLocation, to writer: inout BinaryWriter) {
        writer.string(location.path)
        writer.varint(location.line)
        writer.varint(location.column)
    }

    private static func decodeLocation(_ reader: inout BinaryReader) -> SourceLocation {
        SourceLocation(path: reader.string(), line: reader.varint(), column: reader.varint())
    }

    private static func encode(_ history: History, to writer: inout BinaryWriter) {
        for stamp in [history.created, history.updated] {
            writer.string(stamp.id.hex)
            writer.double(stamp.time.timeIntervalSince1970)
        }
        writer.varint(history.revisions)
    }

    private static func decodeHistory(_ reader: inout BinaryReader) -> History {
        let created = CommitStamp(id: decodeID(&reader), time: decodeDate(&reader))
        let updated = CommitStamp(id: decodeID(&reader), time: decodeDate(&reader))
        return History(created: created, updated: updated, revisions: reader.varint())
    }

    private static func decodeDate(_ reader: inout BinaryReader) -> Date {
        Date(timeIntervalSince1970: reader.double())
    }

    private static func decodeID(_ reader: inout BinaryReader) -> ObjectID {
        if let id = ObjectID(hex: reader.string()) { return id }
        reader.fail()
        return ObjectID(hex: String(repeating: "0", count: 40))!
    }

    /// An enumeration written as its raw value; `fallback` (and a failed read) when the text names no case.
    private static func value<Value: RawRepresentable>(_ reader: inout BinaryReader, default fallback: Value) -> Value
    where Value.RawValue == String {
        if let value = Value(rawValue: reader.string()) { return value }
        reader.fail()
        return fallback
    }

    private static func encode(_ value: FrontMatterValue, to writer: inout BinaryWriter) {
        switch value {
        case .string(let text):
            writer.varint(0)
            writer.string(text)
        case .number(let number):
            writer.varint(1)
            writer.double(number)
        case .bool(let flag):
            writer.varint(2)
            writer.bool(flag)
        case .null:
            writer.varint(3)
        case .list(let items):
            writer.varint(4)
            list(items, to: &writer) { encode($0, to: &$1) }
        case .map(let pairs):
            writer.varint(5)
            list(pairs, to: &writer) { pair, writer in
                writer.string(pair.key)
                encode(pair.value, to: &writer)
            }
        }
    }

    private static func decodeValue(_ reader: inout BinaryReader) -> FrontMatterValue {
        switch reader.varint() {
        case 0: return .string(reader.string())
        case 1: return .number(reader.double())
        case 2: return .bool(reader.bool())
        case 3: return .null
        case 4: return .list(list(&reader, decodeValue))
        case 5: return .map(list(&reader) { reader in (key: reader.string(), value: decodeValue(&reader)) })
        default:
            reader.fail()
            return .null
        }
    }

    // Optionals with a marker byte first; lists with their count first.

    private static func optional<Value>(
        _ value: Value?, to writer: inout BinaryWriter, _ encode: (Value, inout BinaryWriter) -> Void
    ) {
        writer.bool(value != nil)
        if let value { encode(value, &writer) }
    }

    private static func optional<Value>(_ reader: inout BinaryReader, _ decode: (inout BinaryReader) -> Value) -> Value? {
        reader.bool() ? decode(&reader) : nil
    }

    private static func list<Element>(
        _ elements: [Element], to writer: inout BinaryWriter, _ encode: (Element, inout BinaryWriter) -> Void
    ) {
        writer.varint(elements.count)
        for element in elements { encode(element, &writer) }
    }

    private static func list<Element>(_ reader: inout BinaryReader, _ decode: (inout BinaryReader) -> Element) -> [Element] {
        let count = reader.count()
        var elements: [Element] = []
        elements.reserveCapacity(count)
        for _ in 0..<count {
            let element = decode(&reader)
            if reader.failed { return [] }
            elements.append(element)
        }
        return elements
    }

    private static func strings(_ items: [String], to writer: inout BinaryWriter) {
        list(items, to: &writer) { $1.string($0) }
    }

    private static func strings(_ reader: inout BinaryReader) -> [String] { list(&reader) { $0.string() } }
}
