import Testing

/// Test output names each case after its backend, e.g. `sqlite-file`.
extension StoreBackend: CustomTestStringConvertible {
    public var testDescription: String { name }
}

extension SQLiteFlavour: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}
