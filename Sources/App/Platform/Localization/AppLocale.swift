/// The languages the site speaks.
public enum AppLocale: String, Sendable, CaseIterable, Codable {
    case nl
    case en

    /// The name of the language in that language, for the language switch.
    var ownName: String {
        switch self {
        case .nl: "Nederlands"
        case .en: "English"
        }
    }
}
