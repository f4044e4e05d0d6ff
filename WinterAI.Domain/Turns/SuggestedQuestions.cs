using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WinterAI.Domain.Dify;
using WinterAI.Domain.Storage;

namespace WinterAI.Domain.Turns;

/// <summary>
/// The follow-up questions Dify suggests after an answer (<c>GET /messages/{id}/suggested</c>, when the app has
/// "suggested questions after answer" on), kept per follower in the shared store so any instance shows them and
/// resolves <c>a</c>, <c>b</c>, <c>c</c>. They never hold up the answer: the answer is saved and delivered first, and
/// they are fetched after it; a page rendered before they arrive simply has none (the follower sees them when the
/// last page is shown again, e.g. with <c>1</c>). They stay valid until the follower's next answer.
/// </summary>
public sealed class SuggestedQuestions(
    IStateStore store,
    StoreKeys keys,
    IDifyClient dify,
    DifyAppProfile app,
    IOptions<RedisOptions> storeOptions,
    IOptionsMonitor<MessagesOptions> messages,
    TimeProvider time,
    ILogger<SuggestedQuestions> log)
{
    /// <summary>At most this many are offered (Dify suggests three): <c>a</c> to <c>c</c>.</summary>
    public const int MaxQuestions = 3;

    /// <summary>Bounds the fetch; Dify asks its model for them, which takes a few seconds.</summary>
    public static readonly TimeSpan FetchTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Before a new answer is saved: the previous answer's suggestions stop being valid, and when this answer may get
    /// some it is marked as waiting for them, so live views (robot streams) know to wait. Decided on what is already
    /// known of the app, never by asking Dify. Best effort.
    /// </summary>
    public async Task PrepareAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        try
        {
            if (MayHave(turn) && app.Known?.SuggestedQuestionsAfterAnswer != false)
            {
                await WriteAsync(follower, new SuggestedQuestionsRecord(turn.MessageKey, null, time.GetUtcNow().ToUnixTimeMilliseconds()), ct);
            }
            else
            {
                await store.DeleteAsync(Key(follower), ct);
            }
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Could not update the suggested questions: {Reason}", ex.Message);
        }
    }

    /// <summary>
    /// After the answer is saved: asks Dify for the suggestions and keeps them, unless a newer answer came meanwhile.
    /// Returns them (empty when there are none). Never throws.
    /// </summary>
    public async Task<IReadOnlyList<string>> FetchAsync(Follower follower, TurnRecord turn, CancellationToken ct)
    {
        IReadOnlyList<string> questions = [];
        try
        {
            if (!MayHave(turn) || (await CurrentAsync(follower, ct))?.MessageKey != turn.MessageKey)
            {
                return [];
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(FetchTimeout);
            if ((await app.GetAsync(timeout.Token))?.SuggestedQuestionsAfterAnswer == true)
            {
                questions = (await dify.GetSuggestedQuestionsAsync(turn.DifyMessageId!, follower.DifyUser, timeout.Token)).Take(MaxQuestions).ToList();
            }
        }
        catch (Exception ex) when (ex is DifyException or OperationCanceledException)
        {
            log.LogInformation("No suggested questions for the answer: {Reason}", ex.Message);
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Could not read the suggested questions: {Reason}", ex.Message);
            return [];
        }

        try
        {
            // A newer answer may have been saved meanwhile: its suggestions (or none) win.
            if (await CurrentAsync(follower, CancellationToken.None) is { } current && current.MessageKey == turn.MessageKey)
            {
                await WriteAsync(follower, current with { Questions = questions }, CancellationToken.None);
            }
        }
        catch (StoreUnavailableException ex)
        {
            log.LogWarning("Could not keep the suggested questions: {Reason}", ex.Message);
        }

        return questions;
    }

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

    private static bool MayHave(TurnRecord turn) => turn is { DifyMessageId: { Length: > 0 }, Failed: false, Stopped: false };

    private string Key(Follower follower) => keys.Suggestions(follower.Account, follower.Id);

    private Task WriteAsync(Follower follower, SuggestedQuestionsRecord record, CancellationToken ct) =>
        store.SetAsync(Key(follower), JsonSerializer.Serialize(record, DeliveryJsonContext.Default.SuggestedQuestionsRecord), storeOptions.Value.AnswerTtl, ct);
}
