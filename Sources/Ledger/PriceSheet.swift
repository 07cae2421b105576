// Dated list prices of hosted models and the price of the local machine, and the cost arithmetic over them.
// Loaded from an editable YAML file (pricing/prices.yaml) so users can correct prices without a rebuild.
import Foundation

/// The prices a call is charged at: the local machine by the hour, and hosted models by the token for a
/// "what would this have cost in the cloud" comparison.
///
/// Prices are held as integer picodollars per token, so cloud costs are computed exactly and rounded once to
/// nanodollars; the public accessors speak in the units of the providers' price pages ($ per 1M tokens).
public struct PriceSheet: Hashable, Sendable {
    /// One hosted model's list prices.
    public struct ModelPrice: Hashable, Sendable {
        public var name: String
        var inputPicodollarsPerToken: Int64
        var cachedInputPicodollarsPerToken: Int64
        var outputPicodollarsPerToken: Int64
        /// Free text kept from the file (tiers, caveats).
        public var note: String?

        /// - Parameters: prices in dollars per one million tokens, as providers publish them; `cachedInput`
        ///   defaults to `input` for providers without a cache discount.
        public init(name: String, input: Double, cachedInput: Double? = nil, output: Double, note: String? = nil) {
            self.name = name
            self.inputPicodollarsPerToken = Self.picodollars(perMillion: input)
            self.cachedInputPicodollarsPerToken = Self.picodollars(perMillion: cachedInput ?? input)
            self.outputPicodollarsPerToken = Self.picodollars(perMillion: output)
            self.note = note
        }

        /// $ per 1M uncached input tokens.
        public var input: Double { Double(inputPicodollarsPerToken) / 1e6 }
        /// $ per 1M input tokens read from the provider's prompt cache.
        public var cachedInput: Double { Double(cachedInputPicodollarsPerToken) / 1e6 }
        /// $ per 1M output tokens.
        public var output: Double { Double(outputPicodollarsPerToken) / 1e6 }

        /// $ per 1M tokens equals picodollars per token × 10⁻⁶; rounded to whole picodollars.
        static func picodollars(perMillion dollars: Double) -> Int64 {
            let value = (dollars * 1e6).rounded()
            guard value.isFinite, value >= 0 else { return 0 }
            return Int64(min(value, 1e15))
        }

        /// (prompt − cached) × input + cached × cached input + generated × output, rounded to nanodollars.
        public func cost(of tokens: TokenCounts) -> Cost {
            func product(_ count: Int, _ price: Int64) -> Int64 {
                let (value, overflow) = Int64(max(0, count)).multipliedReportingOverflow(by: price)
                return overflow ? .max : value
            }
            let picodollars = product(max(0, tokens.prompt - tokens.cached), inputPicodollarsPerToken)
                .saturatingAdd(product(tokens.cached, cachedInputPicodollarsPerToken))
                .saturatingAdd(product(tokens.generated, outputPicodollarsPerToken))
            return Cost(nanodollars: picodollars / 1000 + (picodollars % 1000 >= 500 ? 1 : 0))
        }
    }

    /// The file the sheet was read from (named in every error), or a label for sheets built in code.
    public var file: String
    /// The day the prices were copied from the providers' pages ("2025-07-01"); prices change, so show it.
    public var date: String
    /// What the local machine costs per hour of its full use, in dollars.
    public var machineDollarsPerHour: Double
    /// The hosted model a call is compared against when the caller names none.
    public var defaultComparisonModel: String
    /// Hosted models by name.
    public var models: [String: ModelPrice]

    public init(file: String = "(built in code)", date: String, machineDollarsPerHour: Double,
                defaultComparisonModel: String, models: [ModelPrice]) {
        self.file = file
        self.date = date
        self.machineDollarsPerHour = machineDollarsPerHour
        self.defaultComparisonModel = defaultComparisonModel
        self.models = Dictionary(models.map { ($0.name, $0) }, uniquingKeysWith: { _, last in last })
    }

    /// Model names in alphabetical order (for menus and error messages).
    public var modelNames: [String] { models.keys.sorted() }

    /// The prices of `name`, or an error listing the models the sheet knows.
    public func price(of name: String) throws(LedgerError) -> ModelPrice {
        guard let price = models[name] else {
            throw LedgerError.unknownCloudModel(name: name, file: file, known: modelNames)
        }
        return price
    }

    /// compute seconds × machine $/h ÷ 3600: the call's share of the machine, charged by the hour.
    public func localCost(computeSeconds: Double) -> Cost {
        Cost(dollars: max(0, computeSeconds) * machineDollarsPerHour / 3600)
    }

    /// What `tokens` would cost on the hosted model `model` (the sheet's default when nil).
    public func cloudCost(of tokens: TokenCounts, on model: String? = nil) throws(LedgerError) -> Cost {
        try price(of: model ?? defaultComparisonModel).cost(of: tokens)
    }

    /// `record` with its local cost, cloud-equivalent cost and comparison model filled in. Remote model calls
    /// (no local compute) get a zero local cost; the cloud figure is still the list price of their tokens.
    public func priced(_ record: CallRecord, against model: String? = nil) throws(LedgerError) -> CallRecord {
        let name = model ?? defaultComparisonModel
        var result = record
        result.localCost = localCost(computeSeconds: record.computeSeconds)
        result.cloudCost = try price(of: name).cost(of: record.tokens)
        result.cloudModel = name
        return result
    }
}
