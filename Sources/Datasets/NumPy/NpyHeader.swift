/// The dictionary at the start of a `.npy` file, e.g.
/// `{'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }`.
///
/// The format (NumPy Enhancement Proposal 1, "A Simple File Format for NumPy Arrays")
/// stores it as a Python literal. This parser accepts the subset NumPy writes: string keys,
/// string values, `True`/`False`, and tuples of non-negative integers.
struct NpyHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// Python-literal text of the header dictionary, without padding.
    var literal: String {
        let dims: String
        switch shape.count {
        case 0: dims = "()"
        case 1: dims = "(\(shape[0]),)"
        default: dims = "(" + shape.map(String.init).joined(separator: ", ") + ")"
        }
        return "{'descr': '\(descr)', 'fortran_order': \(fortranOrder ? "True" : "False"), 'shape': \(dims), }"
    }

    /// Parses the header dictionary; `path` only labels errors.
    static func parse(_ text: String, path: String) throws -> NpyHeader {
        var parser = LiteralParser(characters: Array(text), path: path)
        let entries = try parser.parseDictionary()

        guard case .string(let descr)? = entries["descr"] else {
            throw DatasetError.invalidHeader(
                path: path, field: "descr", value: String(describing: entries["descr"]),
                reason: "expected a dtype string such as '<f4'")
        }
        guard case .bool(let fortranOrder)? = entries["fortran_order"] else {
            throw DatasetError.invalidHeader(
                path: path, field: "fortran_order", value: String(describing: entries["fortran_order"]),
                reason: "expected True or False")
        }
        guard case .tuple(let shape)? = entries["shape"] else {
            throw DatasetError.invalidHeader(
                path: path, field: "shape", value: String(describing: entries["shape"]),
                reason: "expected a tuple of non-negative integers")
        }
        return NpyHeader(descr: descr, fortranOrder: fortranOrder, shape: shape)
    }
}

/// A value of the header dictionary.
private enum LiteralValue: Equatable {
    case string(String)
    case bool(Bool)
    case tuple([Int])
}

/// Recursive-descent parser over the characters of a header literal.
private struct LiteralParser {
    let characters: [Character]
    let path: String
    var position = 0

    init(characters: [Character], path: String) {
        self.characters = characters
        self.path = path
    }

    mutating func parseDictionary() throws -> [String: LiteralValue] {
        try expect("{")
        var entries: [String: LiteralValue] = [:]
        skipSpaces()
        while peek() != "}" {
            let key = try parseString()
            try expect(":")
            entries[key] = try parseValue(field: key)
            skipSpaces()
            if peek() == "," {
                position += 1
                skipSpaces()
            } else if peek() != "}" {
                throw syntaxError("expected ',' or '}'")
            }
        }
        position += 1
        return entries
    }

    private mutating func parseValue(field: String) throws -> LiteralValue {
        skipSpaces()
        switch peek() {
        case "'", "\"":
            return .string(try parseString())
        case "(":
            return .tuple(try parseTuple(field: field))
        default:
            let word = readWhile { $0.isLetter }
            if word == "True" { return .bool(true) }
            if word == "False" { return .bool(false) }
            throw DatasetError.invalidHeader(
                path: path, field: field, value: word.isEmpty ? String(peek() ?? " ") : word,
                reason: "expected a string, True/False or a tuple")
        }
    }

    private mutating func parseTuple(field: String) throws -> [Int] {
        try expect("(")
        var values: [Int] = []
        skipSpaces()
        while peek() != ")" {
            // NumPy 1.x on Windows wrote extents with an `L` suffix (Python 2 longs).
            let digits = readWhile { $0.isNumber }
            if peek() == "L" { position += 1 }
            guard let value = Int(digits) else {
                throw DatasetError.invalidHeader(
                    path: path, field: field, value: digits.isEmpty ? String(peek() ?? " ") : digits,
                    reason: "expected a non-negative integer extent")
            }
            values.append(value)
            skipSpaces()
            if peek() == "," {
                position += 1
                skipSpaces()
            } else if peek() != ")" {
                throw syntaxError("expected ',' or ')' in '\(field)'")
            }
        }
        position += 1
        return values
    }

    private mutating func parseString() throws -> String {
        skipSpaces()
        guard let quote = peek(), quote == "'" || quote == "\"" else { throw syntaxError("expected a quoted string") }
        position += 1
        let body = readWhile { $0 != quote }
        try expect(quote)
        return body
    }

    private mutating func expect(_ character: Character) throws {
        skipSpaces()
        guard peek() == character else { throw syntaxError("expected '\(character)'") }
        position += 1
    }

    private mutating func readWhile(_ predicate: (Character) -> Bool) -> String {
        let start = position
        while position < characters.count, predicate(characters[position]) { position += 1 }
        return String(characters[start..<position])
    }

    private mutating func skipSpaces() {
        while position < characters.count, characters[position].isWhitespace { position += 1 }
    }

    private func peek() -> Character? {
        position < characters.count ? characters[position] : nil
    }

    private func syntaxError(_ reason: String) -> DatasetError {
        DatasetError.invalidHeader(
            path: path, field: "header", value: "'\(String(characters))'",
            reason: "\(reason) at character \(position)")
    }
}
