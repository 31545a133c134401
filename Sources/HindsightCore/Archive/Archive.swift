import CommonMarkKit
import Foundation
import GitKit

/// One term of a taxonomy (a service, a tag, a severity, a year, a factor type) and who uses it.
public struct Term: Sendable, Hashable {
    /// The name as first written (or the configured spelling).
    public let name: String
    /// The URL segment.
    public let slug: String
    /// Indices into `Archive.postMortems`, newest first.
    public let members: [Int]
}

/// A factor of some type, pointing back at its post-mortem.
public struct FactorReference: Sendable, Hashable {
    public let postMortem: Int
    public let factor: Int
}

/// Every factor of one type across the archive: the cross-incident view.
public struct FactorGroup: Sendable, Hashable {
    public let type: String
    public let slug: String
    public let factors: [FactorReference]
    /// Post-mortems with at least one factor of this type.
    public let incidentCount: Int
}

/// The whole collection, built once: post-mortems newest first and every taxonomy.
public struct Archive: Sendable {
    public let configuration: Configuration
    /// The commit the archive was read at, if any.
    public let revision: Commit?
    public let postMortems: [PostMortem]
    public let indexByID: [String: Int]
    public let factorGroups: [FactorGroup]
    public let services: [Term]
    public let severities: [Term]
    public let tags: [Term]
    public let years: [Term]
    /// Each post-mortem's parse key (`ParseCache.key`) by source path, when the build parsed through a cache: the
    /// identity of everything the post-mortem was made from, so values made from it alone can be keyed by it.
    public var parseKeys: [String: ObjectID] = [:]
    /// Each body's cmark-gfm tree by source path, when the build kept them (`ArchiveOptions.keepsBodyTrees`).
    public var bodyTrees: [String: MarkdownNode] = [:]

    /// The post-mortem with an id, if there is one.
    public func postMortem(id: String) -> PostMortem? {
        indexByID[id].map { postMortems[$0] }
    }

    /// All action items, with the index of their post-mortem.
    public var actionItemCount: Int { postMortems.reduce(0) { $0 + $1.actionItems.count } }
    public var openActionItemCount: Int {
        postMortems.reduce(0) { $0 + $1.actionItems.filter { !$0.isDone }.count }
    }
    public var factorCount: Int { postMortems.reduce(0) { $0 + $1.factors.count } }
    public var nearMissCount: Int { postMortems.filter(\.nearMiss).count }
}
