import Foundation
import VIACore

/// The period the figures cover.
public struct StatsWindow: Sendable, Codable, Equatable {
    /// Nil: since the store began.
    @NullEncoded public var since: Date?
    public var until: Date

    public init(since: Date?, until: Date = Date()) {
        self.since = since
        self.until = until
    }

    var lower: Double { since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude }
    var upper: Double { until.timeIntervalSince1970 }
}

/// Percentiles of a set of durations, in seconds.
public struct Percentiles: Sendable, Codable, Equatable {
    public var count: Int
    @NullEncoded public var mean: Double?
    @NullEncoded public var p50: Double?
    @NullEncoded public var p90: Double?
    @NullEncoded public var p99: Double?

    public init(_ values: [Double]) {
        count = values.count
        mean = values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        var values = values
        // Nearest rank, found by selection rather than a full sort: a station's durations over a long window are
        // hundreds of thousands of values and only three ranks are wanted.
        let ranks = [0.5, 0.9, 0.99].map { max(0, min(values.count - 1, Int(($0 * Double(values.count)).rounded(.up)) - 1)) }
        var picked: [Double] = []
        var from = 0
        for rank in ranks where !values.isEmpty {
            picked.append(Self.select(rank, in: &values, from: from))
            from = rank // ranks ascend: everything left of this one is no larger
        }
        p50 = picked.first
        p90 = picked.count > 1 ? picked[1] : nil
        p99 = picked.count > 2 ? picked[2] : nil
    }

    /// The value at `rank` of the values sorted, when no value before `from` is larger than any from `from` on
    /// (Hoare's quickselect, median-of-three pivot). Reorders `values[from...]` so that no smaller value lies right
    /// of `rank` and no larger one left of it.
    /// `rounds`: partitioning rounds before the rest is sorted (tests force the fallback with small budgets).
    static func select(_ rank: Int, in values: inout [Double], from: Int, rounds budget: Int? = nil) -> Double {
        var low = from, high = values.count - 1
        // Crafted input can make median-of-three shrink the range by a few elements a round; past a logarithmic
        // budget of rounds the rest is sorted instead (introselect), so the work stays O(n log n) at worst.
        var rounds = budget ?? 2 * (Int.bitWidth - max(1, values.count).leadingZeroBitCount)
        while low < high {
            rounds -= 1
            if rounds < 0 {
                values[low...high].sort()
                break
            }
            let middle = low + (high - low) / 2
            // median of three as the pivot: sorted data (durations often arrive nearly ordered) stays linear
            if values[middle] < values[low] { values.swapAt(middle, low) }
            if values[high] < values[low] { values.swapAt(high, low) }
            if values[high] < values[middle] { values.swapAt(high, middle) }
            let pivot = values[middle]
            var i = low, j = high
            while i <= j {
                while values[i] < pivot { i += 1 }
                while pivot < values[j] { j -= 1 }
                if i <= j {
                    values.swapAt(i, j)
                    i += 1
                    j -= 1
                }
            }
            if rank <= j {
                high = j
            } else if rank >= i {
                low = i
            } else {
                return values[rank] // between j and i: equal to the pivot
            }
        }
        return values[rank]
    }
}

/// How many reviewers the queue needs (an M/M/c queue: Erlang C).
public struct Staffing: Sendable, Codable, Equatable {
    /// Records entering the queue per hour in the window.
    public var arrivalsPerHour: Double
    /// Mean review time in seconds.
    @NullEncoded public var meanReviewSeconds: Double?
    /// Offered load a = λ·s, in reviewers kept busy on average.
    @NullEncoded public var offeredLoad: Double?
    /// The wait in the queue to stay under.
    public var targetWaitSeconds: Double
    /// Smallest c with expected wait W_q = C(c, a)·s/(c − a) ≤ target; nil without review times.
    @NullEncoded public var reviewersNeeded: Int?
    /// Expected wait with that many reviewers.
    @NullEncoded public var expectedWaitSeconds: Double?

    public static let formula = "a = λ·s; C(c,a) = (a^c/c!)·(c/(c−a)) / (Σ_{k<c} a^k/k! + (a^c/c!)·(c/(c−a))); W_q = C(c,a)·s/(c−a); reviewers = min c > a with W_q ≤ target"

    /// Erlang C: probability that an arrival waits, with c servers and offered load a (a < c).
    public static func erlangC(servers c: Int, load a: Double) -> Double {
        guard a > 0 else { return 0 }
        guard Double(c) > a else { return 1 }
        var term = 1.0, sum = 1.0 // k = 0
        for k in 1..<c {
            term *= a / Double(k)
            sum += term
        }
        let top = term * a / Double(c) * (Double(c) / (Double(c) - a))
        return top / (sum + top)
    }

    public init(arrivalsPerHour: Double, meanReviewSeconds: Double?, targetWaitSeconds: Double) {
        self.arrivalsPerHour = arrivalsPerHour
        self.meanReviewSeconds = meanReviewSeconds
        self.targetWaitSeconds = targetWaitSeconds
        guard let s = meanReviewSeconds, s > 0 else { return }
        let a = arrivalsPerHour / 3600 * s
        offeredLoad = a
        guard a > 0 else {
            reviewersNeeded = 0
            expectedWaitSeconds = 0
            return
        }
        var c = max(1, Int(a.rounded(.down)) + 1)
        while c < 100_000 {
            let wait = Self.erlangC(servers: c, load: a) * s / (Double(c) - a)
            if wait <= targetWaitSeconds {
                reviewersNeeded = c
                expectedWaitSeconds = wait
                return
            }
            c += 1
        }
    }
}

/// The headline figures of a window.
public struct Overview: Sendable, Codable, Equatable {
    public var window: StatsWindow
    public var recordsReceived: Int
    public var autoPassed: Int
    public var returned: Int
    public var flagged: Int
    public var sampled: Int
    /// Share of received records that passed without a person.
    @NullEncoded public var autoPassRate: Double?
    public var queueDepth: Int
    @NullEncoded public var oldestQueuedAgeSeconds: Double?
    public var decisions: Int
    public var approvals: Int
    public var rejections: Int
    public var reviewTime: Percentiles
    public var reviewTargetSeconds: Double
    /// Share of decisions made within the target.
    @NullEncoded public var withinTargetRate: Double?
    public var reviewersActive: Int
    public var staffing: Staffing
}

/// A rule and how often it fired.
public struct RuleCount: Sendable, Codable, Equatable {
    public var rule: String
    public var records: Int

    public init(rule: String, records: Int) {
        self.rule = rule
        self.records = records
    }
}

/// One station's figures.
public struct StationFigures: Sendable, Codable, Equatable {
    public var station: String
    @NullEncoded public var name: String?
    public var records: Int
    public var flagged: Int
    public var returned: Int
    public var flagRate: Double
    public var returnRate: Double
    public var topRules: [RuleCount]
    public var decisions: Int
    public var rejections: Int
    @NullEncoded public var rejectionRate: Double?
    @NullEncoded public var medianInspectionMinutes: Double?
    /// Root mean square of the station's z-scores for flag, return and rejection rate against the pooled rate
    /// of all other stations (README explains); above ~3 stands out.
    public var outlierScore: Double
    /// The rate that pulls the score most ("flag", "return" or "rejection").
    @NullEncoded public var outlierDriver: String?
}

/// One rule's figures.
public struct RuleFigures: Sendable, Codable, Equatable {
    public var rule: String
    /// Records with a warning or error finding from this rule.
    public var records: Int
    public var rate: Double
    /// Reviewed records this rule had flagged.
    public var decided: Int
    /// Approved although the rule flagged them: the rule was overridden.
    public var approvals: Int
    public var rejections: Int
    @NullEncoded public var overrideRate: Double?
}

/// One reviewer's figures.
public struct ReviewerFigures: Sendable, Codable, Equatable {
    public var reviewer: String
    public var decisions: Int
    public var approvals: Int
    public var rejections: Int
    public var reviewTime: Percentiles
}

/// One hour's flow.
public struct HourFigures: Sendable, Codable, Equatable {
    /// Start of the hour.
    public var hour: Date
    public var arrivals: Int
    /// Passed or returned without a person.
    public var autoDecisions: Int
    public var humanDecisions: Int
    /// Records waiting or claimed at the end of the hour.
    public var queueDepth: Int
}
