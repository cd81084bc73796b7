import Fluent

/// Every migration, in order. Add new ones at the end; never edit a released one.
enum Migrations {
    static func all(config: AppConfig, clock: any AppClock) -> [any Migration] {
        [
            M001_CreateMembers(),
            M002_CreateMemberSessions(),
            M003_CreateAccountTokens(),
            M004_CreatePageVersions(),
            M005_CreatePolicyAcceptances(),
            M006_CreateOutboxMails(),
            M007_CreateRateLimitCounters(),
            M008_CreateAuditEvents(),
            M009_SeedPages(pagesDirectory: "\(config.resourcesDirectory)/Pages", now: { clock.now() }),
            M010_CreateForum(),
            M011_SeedCategories(now: { clock.now() }),
            M012_CreateRescuedForms(),
            M013_CreateSearchIndex(),
            M014_AddMemberVisits(),
            M015_CoverTopicActivity(),
            M016_CreateModeration(),
            M017_AddTwoFactor(),
            M018_CreateSafety(lexiconFile: "\(config.resourcesDirectory)/Triggers/default.csv", now: { clock.now() }),
            M019_SeedWelcomePage(pagesDirectory: "\(config.resourcesDirectory)/Pages", now: { clock.now() }),
            M020_AddMemberProfile(),
            M021_AddMemberRights(),
            M022_CreateNotifications(),
            M023_AddPseudonymSkeletons(),
            M024_AddResponseWatch(pagesDirectory: "\(config.resourcesDirectory)/Pages", now: { clock.now() }),
            M025_AddTriggerLanguage(triggersDirectory: "\(config.resourcesDirectory)/Triggers", now: { clock.now() }),
            M026_CreateCommunity(now: { clock.now() }),
            M027_CreateMessages(pagesDirectory: "\(config.resourcesDirectory)/Pages", now: { clock.now() }),
            M028_CreateResearch(pagesDirectory: "\(config.resourcesDirectory)/Pages", now: { clock.now() }),
            M029_CreateQuestionnaires(),
            M032_AddAvatarColour(),
            M033_LinkAlertsToQueue(),
            M034_AddPostRemoval(),
            M035_StemmedSearch(),
            M036_TopicKindActivity(),
        ]
    }
}
