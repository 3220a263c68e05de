using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Qwen.Extensions.AI.Emulator;

// `dotnet run --project src/Qwen.Extensions.AI.Emulator [-- --port 5199 --key sk-my-key]` serves until Ctrl+C (SIGINT),
// SIGTERM (kill, docker stop, a CI step) or SIGQUIT; the generic host's console lifetime turns each into a graceful stop
// and the process exits 0.
const string Usage = """
    Qwen emulator: a loopback stand-in for DashScope compatible mode (POST /compatible-mode/v1/chat/completions).

    Usage: Qwen.Extensions.AI.Emulator [--port N] [--key KEY] [--help]

      --port N    the 127.0.0.1 port to listen on (0, the default, picks a free port)
      --key KEY   the API key to accept (default: sk-qwen-emulator)
      --help, -h  print this text and exit

    Stops gracefully on Ctrl+C (SIGINT) and SIGTERM, exiting with code 0.
    """;

var options = new QwenEmulatorOptions();
for (var i = 0; i < args.Length; i++)
{
    var (name, inlineValue) = args[i].Split('=', 2) is [var n, var v] && n.StartsWith("--", StringComparison.Ordinal) ? (n, v) : (args[i], null);
    switch (name)
    {
        case "--help" or "-h" or "-?" or "/?":
            Console.WriteLine(Usage);
            return 0;
        case "--port" or "--key":
            var value = inlineValue ?? (i + 1 < args.Length ? args[++i] : null);
            if (value is null)
            {
                Console.Error.WriteLine($"{name} needs a value.");
                Console.Error.WriteLine(Usage);
                return 2;
            }

            if (name == "--key")
            {
                options.ApiKey = value;
            }
            else if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is >= 0 and <= 65535)
            {
                options.Port = port;
            }
            else
            {
                Console.Error.WriteLine($"--port needs a number from 0 to 65535; got '{value}'.");
                return 2;
            }

            break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}.");
            Console.Error.WriteLine(Usage);
            return 2;
    }
}

var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
builder.Services.AddSingleton<IHostLifetime, ConsoleLifetime>();
builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
builder.Services.AddSingleton(options);
builder.Services.AddHostedService<EmulatorHostedService>();
using var host = builder.Build();
await host.RunAsync().ConfigureAwait(false);
return 0;

/// <summary>Runs a <see cref="QwenEmulator"/> for the lifetime of the generic host.</summary>
internal sealed class EmulatorHostedService(QwenEmulatorOptions options) : IHostedService, IAsyncDisposable
{
    private QwenEmulator? _emulator;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _emulator = await QwenEmulator.StartAsync(options, cancellationToken).ConfigureAwait(false);
        Console.WriteLine("Qwen emulator (DashScope compatible mode) is listening.");
        Console.WriteLine($"Endpoint: {_emulator.Endpoint}");
        Console.WriteLine($"API key:  {_emulator.ApiKey}");
        Console.WriteLine("Press Ctrl+C (or send SIGTERM) to stop.");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_emulator is { } emulator)
        {
            _emulator = null;
            await emulator.DisposeAsync().ConfigureAwait(false);
            Console.WriteLine("Qwen emulator stopped.");
        }
    }

    public ValueTask DisposeAsync() => _emulator?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// The emulator's entry point. Declared public here because the public-API baseline lists it: on net10.0 ASP.NET Core's
/// generator makes the top-level <c>Program</c> public, on net8.0 it would stay internal and fail RS0017.
/// </summary>
public partial class Program;
