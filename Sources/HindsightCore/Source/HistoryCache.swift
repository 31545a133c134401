import Foundation
import GitKit

/// The file versions the last build found, kept in a file outside the archive and the site, so that the next
/// build's history walk resumes from that build's commit instead of starting over (`Repository.fileVersions(…
/// continuing:at:)`).
///
/// The file holds the commit and content folder it was walked for, then one version per line
/// (`path<TAB>commit<TAB>time<TAB>blob`, oldest first per path). Anything unexpected in it (another folder,
/// a line that does not read) makes the walk start over, which is always correct, only slower.
public struct HistoryCache: Sendable {
    /// Where the versions are kept.
    public let file: URL

    public init(file: URL) {
        self.file = file
    }

    /// What an earlier build found: the commit it walked from and every version, for `folder`.
    public func load(folder: String) -> (head: ObjectID, versions: [String: [FileVersion]])? {
        guard let data = FileManager.default.contents(atPath: file.path) else { return nil }
        // Lines and fields split as bytes: splitting the text by Character took a tenth of a second at 10,000.
        let bytes = [UInt8](data)
        let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        func fields(_ line: ArraySlice<UInt8>) -> [String] {
            line.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        }
        guard let first = lines.first else { return nil }
        let header = fields(first)
        guard header.count == 3, header[0] == Self.format, header[2] == folder, let head = ObjectID(hex: header[1])
        else { return nil }
        var versions: [String: [FileVersion]] = [:]
        for line in lines.dropFirst() where line.isEmpty == false {
            let fields = fields(line)
            guard fields.count == 4, let commit = ObjectID(hex: fields[1]), let seconds = Int(fields[2]),
                let blob = ObjectID(hex: fields[3])
            else { return nil }
            let stamp = CommitStamp(id: commit, time: Date(timeIntervalSince1970: TimeInterval(seconds)))
            versions[fields[0], default: []].append(FileVersion(commit: stamp, blob: blob))
        }
        return (head, versions)
    }

    /// Keeps what this build found (paths with a tab or newline are left out: the walk finds them again).
    public func save(head: ObjectID, folder: String, versions: [String: [FileVersion]]) {
        var text: [UInt8] = []
        func append(_ field: String, then separator: String) {
            text.append(contentsOf: field.utf8)
            text.append(contentsOf: separator.utf8)
        }
        append(Self.format, then: "\t")
        append(head.hex, then: "\t")
        append(folder, then: "\n")
        for (path, list) in versions.sorted(by: { $0.key < $1.key }) where path.isLineField {
            for version in list {
                append(path, then: "\t")
                append(version.commit.id.hex, then: "\t")
                append(String(Int(version.commit.time.timeIntervalSince1970)), then: "\t")
                append(version.blob.hex, then: "\n")
            }
        }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(text).write(to: file, options: .atomic)
    }

    static let format = "hindsight-history-1"
}
