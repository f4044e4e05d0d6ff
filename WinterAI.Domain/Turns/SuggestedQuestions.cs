using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// The follow-up questions Dify suggests after an answer (<c>GET /messages/{id}/suggested</c>, when the app has
/// "suggested questions after answer" on), kept per follower in the shared store so any instance shows them and
/// resolves <c>a</c>, <c>b</c>, <c>c</c>. They never hold up the answer: the answer is saved and delivered first, and
/// they are fetched after it; a page rendered before they arrive simply has none (the follower sees them when the
/// last page is shown again, e.g. with <c>1</c>). They stay valid until the follower's next answer.
/// </summary>
/// <remarks>Reading and showing them needs no Dify (push channels built at start-up use this); <see cref="SuggestedQuestionsFetcher"/> asks Dify.</remarks>
public sealed class SuggestedQuestions(
    IStateStore store,
    StoreKeys keys,
    IOptions<RedisOptions> storeOptions,
    IOptionsMonitor<MessagesOptions> messages)
{
    /// <summary>At most this many are offered (Dify suggests three): <c>a</c> to <c>c</c>.</summary>
    public const int MaxQuestions = 3;

    /// <summary>The follower's newest answer and its suggestions, if any.</summary>
    public async Task<SuggestedQuestionsRecord?> CurrentAsync(Follower follower, CancellationToken ct)
    {
        var json = await store.GetAsync(Key(follower), ct);
        return json is null ? null : JsonSerializer.Deserialize(json, DeliveryJsonContext.Default.SuggestedQuestionsRecord);
    }

    /// <summary>The suggestions after the answer of <paramref name="messageKey"/>: empty unless it is the newest answer and they have arrived.</summary>
    public async Task<IReadOnlyList<string>> ForAsync(Follower follower, string messageKey, CancellationToken ct) =>
        await CurrentAsync(follower, ct) is { MessageKey: var key, Questions: { } questions } && key == messageKey ? questions : [];

    /// <summary>The question a reply of one letter (<c>a</c>, <c>b</c>, <c>c</c>) picks; null when it picks none (an ordinary message then).</summary>
    public async Task<string?> ResolveAsync(Follower follower, string text, CancellationToken ct)
    {
        var trimmed = text.Trim();
        if (trimmed.Length != 1 || Index(trimmed[0]) is not { } index)
        {
            return null;
        }

        return await CurrentAsync(follower, ct) is { Questions: { } questions } && index < questions.Count ? questions[index] : null;
    }

    /// <summary>
    /// <paramref name="text"/> (the answer's last page) ending with the suggestions after <paramref name="messageKey"/>,
    /// as many as fit in <paramref name="maxBytes"/> UTF-8 bytes; the text alone when none have arrived or none fit.
    /// </summary>
    public async Task<string> AppendAsync(Follower follower, string messageKey, string text, int maxBytes, CancellationToken ct)
    {
        var questions = await ForAsync(follower, messageKey, ct);
        return questions.Count == 0 ? text : text + Lettered(questions, maxBytes - Encoding.UTF8.GetByteCount(text));
    }

    /// <summary>The title and the lettered questions that fit in <paramref name="roomBytes"/> (whole lines only); empty when not even one fits.</summary>
    public string Lettered(IReadOnlyList<string> questions, int roomBytes)
    {
        var block = new StringBuilder("\n\n").Append(messages.CurrentValue.SuggestedQuestionsTitle.Trim());
        var used = Encoding.UTF8.GetByteCount(block.ToString());
        var shown = 0;
        foreach (var question in questions.Take(MaxQuestions))
        {
            var line = $"\n{Letter(shown)}. {question}";
            var bytes = Encoding.UTF8.GetByteCount(line);
            if (used + bytes > roomBytes)
            {
                break;
            }

            block.Append(line);
            used += bytes;
            shown++;
        }

        return shown == 0 ? "" : block.ToString();
    }

    public static char Letter(int index) => (char)('a' + index);

    private static int? Index(char letter) => letter switch
    {
        >= 'a' and <= 'z' => letter - 'a',
        >= 'A' and <= 'Z' => letter - 'A',
        // Full-width letters, as Chinese input methods type them.
        >= 'ａ' and <= 'ｚ' => letter - 'ａ',
        >= 'Ａ' and <= 'Ｚ' => letter - 'Ａ',
        _ => null,
    };

    /// <summary>Drops them: the follower's newest answer has none.</summary>
    internal Task DeleteAsync(Follower follower, CancellationToken ct) => store.DeleteAsync(Key(follower), ct);

    private string Key(Follower follower) => keys.Suggestions(follower.Account, follower.Id);

    internal Task WriteAsync(Follower follower, SuggestedQuestionsRecord record, CancellationToken ct) =>
        store.SetAsync(Key(follower), JsonSerializer.Serialize(record, DeliveryJsonContext.Default.SuggestedQuestionsRecord), storeOptions.Value.AnswerTtl, ct);
}
