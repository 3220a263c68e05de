using Microsoft.Extensions.Logging;

namespace Qwen.Extensions.AI.Tests.Reliability;

/// <summary>A logger factory that keeps every line at every level, with its structured values, for assertions.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory
{
    public List<(LogLevel Level, string Category, string Text)> Entries { get; } = new();

    public string AllText
    {
        get
        {
            lock (Entries)
            {
                return string.Join("\n", Entries.Select(e => $"{e.Level} {e.Category}: {e.Text}"));
            }
        }
    }

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner, string category) : ILogger
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
