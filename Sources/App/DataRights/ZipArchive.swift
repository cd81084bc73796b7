import Foundation

/// Writes a ZIP archive with stored (uncompressed) entries: the format every system can open,
/// written by hand because no ZIP library is available here. The export is small JSON and HTML,
/// so leaving it uncompressed costs little.
struct ZipArchive {
    private var data = Data()
    private var central = Data()
    private var count: UInt16 = 0
    /// The DOS time and date stamped on every entry.
    private let dosTime: UInt16
    private let dosDate: UInt16

    init(date: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        dosTime = UInt16((c.hour ?? 0) << 11 | (c.minute ?? 0) << 5 | (c.second ?? 0) / 2)
        dosDate = UInt16(max(0, (c.year ?? 1980) - 1980) << 9 | (c.month ?? 1) << 5 | (c.day ?? 1))
    }

    /// Adds a file; names use forward slashes and UTF-8.
    mutating func add(_ name: String, _ content: Data) {
        let nameBytes = Data(name.utf8)
        let crc = CRC32.checksum(content)
        let offset = UInt32(data.count)
        // Local file header.
        data.append(le32: 0x0403_4b50)
        data.append(le16: 20)          // version needed: 2.0
        data.append(le16: 0x0800)      // flags: names are UTF-8
        data.append(le16: 0)           // method: stored
        data.append(le16: dosTime)
        data.append(le16: dosDate)
        data.append(le32: crc)
        data.append(le32: UInt32(content.count))
        data.append(le32: UInt32(content.count))
        data.append(le16: UInt16(nameBytes.count))
        data.append(le16: 0)           // no extra field
        data.append(nameBytes)
        data.append(content)
        // Its central directory record.
        central.append(le32: 0x0201_4b50)
        central.append(le16: 20)       // made by: 2.0
        central.append(le16: 20)
        central.append(le16: 0x0800)
        central.append(le16: 0)
        central.append(le16: dosTime)
        central.append(le16: dosDate)
        central.append(le32: crc)
        central.append(le32: UInt32(content.count))
        central.append(le32: UInt32(content.count))
        central.append(le16: UInt16(nameBytes.count))
        central.append(le16: 0)        // extra
        central.append(le16: 0)        // comment
        central.append(le16: 0)        // disk
        central.append(le16: 0)        // internal attributes
        central.append(le32: 0)        // external attributes
        central.append(le32: offset)
        central.append(nameBytes)
        count += 1
    }

    /// The finished archive: entries, central directory, end record.
    func finish() -> Data {
        var out = data
        let centralOffset = UInt32(out.count)
        out.append(central)
        out.append(le32: 0x0605_4b50)
        out.append(le16: 0)
        out.append(le16: 0)
        out.append(le16: count)
        out.append(le16: count)
        out.append(le32: UInt32(central.count))
        out.append(le32: centralOffset)
        out.append(le16: 0)            // no comment
        return out
    }
}

/// CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as ZIP requires.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ data: Data) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}

private extension Data {
    mutating func append(le16 value: UInt16) {
        append(UInt8(value & 0xFF)); append(UInt8(value >> 8))
    }
    mutating func append(le32 value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}
