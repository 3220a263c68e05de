using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI.TestUtilities;

/// <summary>
/// A logger factory and provider (use it as <c>QwenClientOptions.LoggerFactory</c> or add it to a logging builder) that keeps
/// every line at every level, with its structured values and exception, for assertions.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerFactory, ILoggerProvider
{
    public List<(LogLevel Level, string Category, string Text)> Entries { get; } = new();

    /// <summary>Each entry as one line: level, category, message, structured values and exception.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (Entries)
            {
                return [.. Entries.Select(e => $"{e.Level} {e.Category}: {e.Text}")];
            }
        }
    }

    public string AllText => string.Join("\n", Lines);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var text = formatter(state, exception);
            if (state is IEnumerable<KeyValuePair<string, object?>> values)
            {
                text += " | " + string.Join(", ", values.Select(v => $"{v.Key}={v.Value}"));
            }

            if (exception is not null)
            {
                text += " | " + exception;
            }

            lock (owner.Entries)
            {
                owner.Entries.Add((logLevel, category, text));
            }
        }
    }
}
