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
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard let header = lines.first?.split(separator: "\t", omittingEmptySubsequences: false), header.count == 3,
            header[0] == Self.format, header[2] == folder, let head = ObjectID(hex: String(header[1]))
        else { return nil }
        var versions: [String: [FileVersion]] = [:]
        for line in lines.dropFirst() where line.isEmpty == false {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 4, let commit = ObjectID(hex: String(fields[1])), let seconds = Int(fields[2]),
                let blob = ObjectID(hex: String(fields[3]))
            else { return nil }
            let stamp = CommitStamp(id: commit, time: Date(timeIntervalSince1970: TimeInterval(seconds)))
            versions[String(fields[0]), default: []].append(FileVersion(commit: stamp, blob: blob))
        }
        return (head, versions)
    }

    /// Keeps what this build found (paths with a tab or newline are left out: the walk finds them again).
    public func save(head: ObjectID, folder: String, versions: [String: [FileVersion]]) {
        var text = "\(Self.format)\t\(head.hex)\t\(folder)\n"
        for (path, list) in versions.sorted(by: { $0.key < $1.key }) where !path.contains("\t") && !path.contains("\n") {
            for version in list {
                text += "\(path)\t\(version.commit.id.hex)\t\(Int(version.commit.time.timeIntervalSince1970))\t\(version.blob.hex)\n"
            }
        }
        try? FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: file, options: .atomic)
    }

    static let format = "hindsight-history-1"
}
