/// Everything the server keeps — reflections, the job queue, trainings, digests and their releases — behind
/// their contracts: what a backend (SQLite today, PostgreSQL next) implements as a whole. Code that uses only
/// part of it takes the narrower protocol (`any TrainingStore`, `any DigestStore & JobQueue`, …).
public typealias DebriefDataStore = Store & JobQueue & TrainingStore & DigestStore & ReleaseStore & ChannelStore
    & ResponseStore
    & QuestionAnswerStore & IdeaStore & HabitStore
