using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI.Mapping;

/// <summary>The client's context-cache settings for <see cref="ChatRequestWriter"/>: its policy and where the one warning about too many markers goes.</summary>
/// <param name="Policy"><see cref="QwenClientOptions.ContextCache"/>.</param>
/// <param name="Logger">The client's logger, or <see langword="null"/>.</param>
internal readonly record struct CacheSettings(QwenContextCachePolicy Policy, ILogger? Logger);
