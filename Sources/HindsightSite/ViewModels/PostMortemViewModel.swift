import Foundation
import GitKit
import HindsightCore

extension ViewModel {
    /// The context of one post-mortem's page.
    ///
    /// What is made from the post-mortem alone (its body, facts, tables, history) is, when the build parsed
    /// through a cache, a `Deferred` keyed by the post-mortem's parse key: a page reused from the last build
    /// never makes it, and its fingerprint is the links to other post-mortems, the insights and that key.
    func postMortemPage(_ pm: PostMortem, path: String) -> [String: Any] {
        var model: [String: Any]
        if let parseKey = parseKeyHex(of: pm) {
            // The history's source link names the revision when a repository address is set.
            let key = ["pm", parseKey, path, urls.base ?? "", sourceRevision].joined(separator: "\u{0}")
            model = [Deferred.fieldsKey: Deferred(key: key) { self.postMortemFields(pm, path: path) }]
        } else {
            model = postMortemFields(pm, path: path)
        }

        let related = relatedEntries(pm)
        model["related"] = postMortemLinks(related, from: path, kind: "related")
        model["has_related"] = !related.isEmpty
        model.merge(insightsFields(pm, path: path)) { $1 }

        var context = common(page: path, title: pm.title, description: Format.excerpt(pm.summary, limit: 160))
        context["pm"] = model
        return context
    }

    /// The key of everything the page of the post-mortem at `index` is made from, when every post-mortem it
    /// shows has a parse key (nil otherwise): the post-mortem's and its related and similar post-mortems' parse
    /// keys (which name their titles, dates, ids, bodies and histories), the reasons, the page's path, and the
    /// site's values every page shows. A reused page is found by it without building its values.
    func postMortemPageKey(_ index: Int, path: String) -> String? {
        let pm = archive.postMortems[index]
        guard let parseKey = parseKeyHex[index] else { return nil }
        var key = Self.key("postmortem-page", [path, parseKey] + postMortemSiteValues)
        for (kind, entries) in [("related", relatedEntries(pm)), ("similar", similarEntries(pm))] {
            key += "\u{0}" + kind + "\u{0}\(entries.count)"
            for entry in entries {
                guard let linked = parseKeyHex[entry.index] else { return nil }
                key += "\u{0}" + linked
                if let reason = entry.reason { key += "\u{0}\(reason.utf8.count):\(reason)" }
            }
        }
        return key
    }

    /// What every post-mortem page's key holds besides the post-mortems it shows (`postMortemPageKey`), with the
    /// key of the repeat detection's inputs (`Insights.repeatsKey`), which decide the links between post-mortems.
    func postMortemPagesContext(repeatsKey: ObjectID) -> String {
        ContentKey.of(Array(Self.key("postmortem-pages", postMortemSiteValues + [repeatsKey.hex]).utf8)).hex
    }

    /// The site's values a post-mortem page shows: the site's title, the generator, the revision when shown, the
    /// revision its source link names, the base address.
    private var postMortemSiteValues: [String] {
        [archive.configuration.title, generator, shownRevision ?? "\u{0}", sourceRevision, urls.base ?? "\u{0}"]
    }

    /// The post-mortems whose pages may show the one at `index`, by index: those related to it either way and
    /// every repeat partner (a page shows a dozen of them; all are named here).
    func partners(of index: Int) -> [Int] {
        let pm = archive.postMortems[index]
        return relatedEntries(pm).map(\.index) + (insights?.similar(to: pm.id) ?? []).compactMap { archive.indexByID[$0.id] }
    }

    /// The post-mortems related to `pm` both ways: the ids it names, and the post-mortems that name it.
    func relatedEntries(_ pm: PostMortem) -> [(index: Int, reason: String?)] {
        var relatedIDs = pm.related
        for other in namedBy[pm.id] ?? [] where relatedIDs.contains(other) == false {
            relatedIDs.append(other)
        }
        return relatedIDs.compactMap { id -> (index: Int, reason: String?)? in
            guard let index = archive.indexByID[id], archive.postMortems[index].id != pm.id else { return nil }
            return (index, nil)
        }
    }

    /// The fields of a post-mortem's page made from the post-mortem alone (and the site's addresses).
    ///
    /// Only what its parse key names belongs here: `related`, which a public build filters after parsing,
    /// and anything read from other post-mortems or the insights go in `postMortemPage`.
    func postMortemFields(_ pm: PostMortem, path: String) -> [String: Any] {
        var model = card(pm, from: path)
        model["body_html"] = pm.bodyHTML

        let toc = pm.headings.filter { $0.level == 2 || $0.level == 3 }.map { heading -> [String: Any] in
            ["text": heading.text, "anchor": heading.anchor, "level": heading.level, "indent": heading.level == 3]
        }
        model["toc"] = toc
        model["has_toc"] = toc.count >= 2

        var facts: [[String: Any]] = []
        func fact(_ label: String, _ value: String?, iso: String? = nil) {
            guard let value, value.isEmpty == false else { return }
            facts.append(["label": label, "value": value, "iso": ViewModel.value(iso)])
        }
        fact("Severity", pm.severity)
        fact("Date", pm.date?.description, iso: pm.date?.description)
        fact("Status", pm.status.rawValue.replacingOccurrences(of: "-", with: " ").capitalized)
        if pm.nearMiss { fact("Near miss", "Yes") }
        fact("Owner team", pm.ownerTeam)
        let milestones: [(String, Date?)] = [
            ("Started", pm.times.started), ("Detected", pm.times.detected), ("Acknowledged", pm.times.acknowledged),
            ("Mitigated", pm.times.mitigated), ("Resolved", pm.times.resolved),
        ]
        for (label, date) in milestones {
            if let date { fact(label, Format.instant(date), iso: Format.iso(date)) }
        }
        if let minutes = pm.times.minutesToDetect { fact("Time to detect", Format.duration(minutes: minutes)) }
        if let minutes = pm.times.minutesToResolve { fact("Time to resolve", Format.duration(minutes: minutes)) }
        model["facts"] = facts

        let tags = pm.tags.map { term(name: $0, taxonomy: "tags", from: path) }
        model["tags"] = tags
        model["has_tags"] = !tags.isEmpty
        model["owner_team"] = ViewModel.value(pm.ownerTeam)

        let factors = pm.factors.map { factor -> [String: Any] in
            [
                "text": factor.text, "type": factor.type,
                "type_href": urls.href(SiteURLs.Path.factorType(Normalise.slug(factor.type)), from: path),
                "contribution": ViewModel.value(factor.contribution),
            ]
        }
        model["factors"] = factors
        model["has_factors"] = !factors.isEmpty

        let actions = pm.actionItems.map { item -> [String: Any] in
            [
                "text": item.text, "owner": ViewModel.value(item.owner), "priority": ViewModel.value(item.priority),
                "status": item.status, "done": item.isDone, "ticket": ViewModel.value(item.ticket),
                "due": ViewModel.value(item.due),
            ]
        }
        model["action_items"] = actions
        model["has_action_items"] = !actions.isEmpty

        let timeline = pm.timeline.map { entry -> [String: Any] in
            [
                "time": entry.time, "event": entry.event,
                "iso": ViewModel.value(entry.timestamp.map(Format.iso)),
            ]
        }
        model["timeline"] = timeline
        model["has_timeline"] = !timeline.isEmpty

        if let history = pm.history {
            let repo = archive.configuration.repoURL
            let commitHref = { (id: String) -> Any in repo.map { "\($0)/commit/\(id)" } ?? NSNull() }
            let sourceHref: Any = {
                guard let repo, let revision = archive.revision else { return NSNull() }
                return "\(repo)/blob/\(revision.id.hex)/\(pm.sourcePath)"
            }()
            model["history"] = [
                "created": Format.day(history.created.time),
                "updated": Format.day(history.updated.time),
                "revisions": history.revisions,
                "created_commit": history.created.id.short,
                "created_commit_href": commitHref(history.created.id.hex),
                "updated_commit": history.updated.id.short,
                "updated_commit_href": commitHref(history.updated.id.hex),
                "source": pm.sourcePath,
                "source_href": sourceHref,
            ] as [String: Any]
        } else {
            model["history"] = NSNull()
        }

        let extra = pm.extra.map { field -> [String: Any] in ["key": field.key, "value": field.value.displayText] }
        model["extra"] = extra
        model["has_extra"] = !extra.isEmpty
        return model
    }

    /// A link to the post-mortem at `index` from the page at `path` (`title`, `href`, `date`, `id`), its fields read
    /// in place: copying a whole post-mortem for its title was a measurable share of a build.
    /// Links to other post-mortems (`postMortemLink`, with a reason when one is given) from the page at `path`: a
    /// `Deferred` keyed by the linked post-mortems' parse keys, which name all a link shows of them, made only if
    /// the page is rendered; the links themselves when a parse key is missing.
    func postMortemLinks(_ entries: [(index: Int, reason: String?)], from path: String, kind: String) -> Any {
        let make = { () -> [[String: Any]] in
            entries.map { entry in
                var link = postMortemLink(entry.index, from: path)
                if let reason = entry.reason { link["reason"] = reason }
                return link
            }
        }
        // Texts with their lengths, so no text can pass for a separator.
        var key = "\(kind)\u{0}\(path.utf8.count):\(path)\u{0}\(urls.base ?? "")"
        for entry in entries {
            guard let parseKey = parseKeyHex[entry.index] else { return make() }
            key += "\u{0}" + parseKey
            if let reason = entry.reason { key += "\u{0}\(reason.utf8.count):\(reason)" }
        }
        return Deferred(key: key, make: make)
    }

    func postMortemLink(_ index: Int, from path: String) -> [String: Any] {
        let postMortems = archive.postMortems
        return [
            "title": postMortems[index].title,
            "href": urls.href(SiteURLs.Path.postMortem(postMortems[index].id), from: path),
            "date": ViewModel.value(postMortems[index].date?.description), "id": postMortems[index].id,
        ]
    }
}
