import Fluent
import Vapor

/// A theme of the forum, named and described in Dutch and English.
public final class Category: Model, @unchecked Sendable {
    public static let schema = "categories"

    @ID(custom: "id", generatedBy: .database) public var id: Int?
    @Field(key: "slug") public var slug: String
    @Field(key: "position") public var position: Int
    @Field(key: "name_nl") public var nameNL: String
    @Field(key: "name_en") public var nameEN: String
    @Field(key: "description_nl") public var descriptionNL: String
    @Field(key: "description_en") public var descriptionEN: String
    @Field(key: "archived") public var archived: Bool
    @Field(key: "created_at") public var createdAt: Date
    /// Holds news items or blog entries (see `InternalCategory`); never a theme of the forum.
    @Field(key: "internal") public var isInternal: Bool

    public init() {}

    func name(_ locale: AppLocale) -> String { locale == .nl ? nameNL : nameEN }
    func description(_ locale: AppLocale) -> String { locale == .nl ? descriptionNL : descriptionEN }
}
