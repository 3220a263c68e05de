using System.Collections.Concurrent;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.AI;

namespace Qwen.Extensions.AI.IntegrationTests.Conformance;

public sealed record Point(double X, double Y);

public sealed record Member(string Name, int Age);

public sealed record Team(string Name, List<Member> Members);

/// <summary>Thirty tools whose parameters span the JSON schema shapes MEAI generates; each records the value it got.</summary>
public sealed class ToolCatalog
{
    public ConcurrentDictionary<string, string> Invoked { get; } = new();

    public IReadOnlyList<AIFunction> Create() =>
    [
        F("echo_string", (string text) => R("echo_string", text)),
        F("echo_int", (int number) => R("echo_int", number)),
        F("echo_long", (long number) => R("echo_long", number)),
        F("echo_double", (double number) => R("echo_double", number)),
        F("echo_float", (float number) => R("echo_float", number)),
        F("echo_decimal", (decimal amount) => R("echo_decimal", amount)),
        F("echo_bool", (bool flag) => R("echo_bool", flag)),
        F("echo_datetime", (DateTime when) => R("echo_datetime", when)),
        F("echo_datetimeoffset", (DateTimeOffset when) => R("echo_datetimeoffset", when)),
        F("echo_timespan", (TimeSpan duration) => R("echo_timespan", duration)),
        F("echo_guid", (Guid id) => R("echo_guid", id)),
        F("echo_uri", (Uri link) => R("echo_uri", link)),
        F("echo_enum", (DayOfWeek day) => R("echo_enum", day)),
        F("echo_int_array", (int[] numbers) => R("echo_int_array", string.Join(",", numbers))),
        F("echo_string_list", (List<string> words) => R("echo_string_list", string.Join(",", words))),
        F("echo_dictionary", (Dictionary<string, int> scores) => R("echo_dictionary", scores.Count)),
        F("echo_nullable_int", (int? maybe) => R("echo_nullable_int", maybe?.ToString() ?? "null")),
        F("echo_point", (Point point) => R("echo_point", point)),
        F("echo_char", (char letter) => R("echo_char", letter)),
        F("echo_byte", (byte small) => R("echo_byte", small)),
        F("echo_short", (short number) => R("echo_short", number)),
        F("echo_default_string", (string text = "fallback") => R("echo_default_string", text)),
        F("echo_default_bool", (bool loud = false) => R("echo_default_bool", loud)),
        F("echo_two", (string name, int count) => R("echo_two", $"{name}:{count}")),
        F("echo_nothing", () => R("echo_nothing", "nothing")),
        F("echo_dateonly", (DateOnly day) => R("echo_dateonly", day)),
        F("echo_timeonly", (TimeOnly time) => R("echo_timeonly", time)),
        F("echo_team", (Team team) => R("echo_team", $"{team.Name}:{team.Members.Count}")),
        F("echo_described", ([Description("Tags to attach")] string[] tags) => R("echo_described", string.Join(",", tags))),
        F("echo_ranged", ([Range(1, 10)] int rating) => R("echo_ranged", rating)),
    ];

    private static AIFunction F(string name, Delegate body) => AIFunctionFactory.Create(body, name, $"Test tool {name}.");

    private string R(string name, object value)
    {
        var text = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "null";
        Invoked[name] = text;
        return $"{name} got {text}";
    }
}
