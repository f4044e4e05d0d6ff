using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly.CircuitBreaker;
using Polly.Timeout;
using RestSharp;
using WinterAI.Domain.Dify.Wire;

namespace WinterAI.Domain.Dify;

/// <summary>
/// <see cref="IDifyClient"/> over Dify's service API: streaming <c>chat-messages</c> through RestSharp, frames
/// parsed by <see cref="DifyStreamReader"/>, every request through the pipelines of <see cref="DifyTransport"/>.
/// </summary>
/// <remarks>
/// Rules a reader might question, with their reasons (also docs/decisions/0002-dify-retries-and-incomplete-streams.md):
/// <list type="bullet">
/// <item>Nothing is retried once the stream has started, so an answer is never streamed twice.</item>
/// <item>An attempt that times out before its response headers is not retried: Dify may already be running the
/// turn, and a second run would put the question into the conversation twice.</item>
/// <item>A stream that ends cleanly without <c>message_end</c> but with answer text returns that text (a proxy that
/// drops the last frame should not cost the follower the answer); with no text it is
/// <see cref="DifyFailure.StreamFailed"/>. A stream that breaks (reset, truncated chunk) is always StreamFailed.</item>
/// </list>
/// </remarks>
public sealed class DifyClient : IDifyClient
{
    const string ChatOperation = "chat";
    const string DeleteOperation = "delete_conversation";
    const string StopOperation = "stop";
    const string FeedbackOperation = "feedback";
    const string ParametersOperation = "parameters";
    const string SuggestedOperation = "suggested";
    const string UploadOperation = "upload_file";
    const string InfoOperation = "info";
    const string TextToAudioOperation = "text_to_audio";
    const string AudioToTextOperation = "audio_to_text";
    static readonly Dictionary<string, string> NoInputs = [];

    readonly DifyTransport transport;
    readonly DifyOptions options;
    readonly DifyMetrics metrics;
    readonly TimeProvider timeProvider;
    readonly ILogger<DifyClient> logger;
    readonly string apiKey;

    internal DifyClient(
        DifyTransport transport,
        IOptions<DifyOptions> options,
        DifyMetrics metrics,
        TimeProvider timeProvider,
        ILogger<DifyClient> logger)
    {
        this.transport = transport;
        this.options = options.Value;
        this.metrics = metrics;
        this.timeProvider = timeProvider;
        this.logger = logger;
        apiKey = this.options.ApiKey.Trim();
    }

    public async Task<DifyAnswer> ChatAsync(
        DifyChatRequest request,
        Func<DifyProgress, CancellationToken, ValueTask>? onProgress,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        var started = timeProvider.GetTimestamp();
        var outcome = "error";
        try
        {
            EnsureConfigured();
            var (answer, complete) = await transport.Turn.ExecuteAsync(
                static (state, token) => state.Self.RunTurnAsync(state.Request, state.OnProgress, token),
                (Self: this, Request: request, OnProgress: onProgress),
                ct).ConfigureAwait(false);
            outcome = complete ? "success" : "incomplete";
            return answer;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            outcome = "canceled";
            throw;
        }
        catch (Exception ex) when (ToDifyException(ex) is { } failure)
        {
            outcome = DifyErrors.TagValue(failure.Failure);
            Record(ChatOperation, failure);
            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
        finally
        {
            metrics.Finished(ChatOperation, outcome, timeProvider.GetElapsedTime(started));
        }
    }

    public Task DeleteConversationAsync(string conversationId, string user, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        ArgumentException.ThrowIfNullOrEmpty(user);
        return RunSimpleAsync(DeleteOperation, () => DeleteRequest(conversationId, user), ct);
    }

    public Task StopAsync(string taskId, string user, DifyAppType appType, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentException.ThrowIfNullOrEmpty(user);
        return RunSimpleAsync(StopOperation, () => StopRequest(taskId, user, appType), ct);
    }

    public Task<byte[]> TextToAudioAsync(string? messageId, string text, string user, long maxBytes, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        var body = new TextToAudioBody(string.IsNullOrEmpty(messageId) ? null : messageId, text, user);
        return RunAsync(TextToAudioOperation,
            () => new RestRequest("text-to-audio", Method.Post).AddStringBody(JsonSerializer.Serialize(body, DifyJsonContext.Default.TextToAudioBody), ContentType.Json),
            async (stream, token) =>
            {
                using var audio = new MemoryStream();
                var buffer = new byte[81920];
                int read;
                while ((read = await stream.ReadAsync(buffer, token).ConfigureAwait(false)) > 0)
                {
                    if (audio.Length + read > maxBytes)
                    {
                        throw new DifyException(DifyFailure.Rejected, $"Dify's audio is longer than {maxBytes} bytes.");
                    }

                    audio.Write(buffer, 0, read);
                }

                return audio.Length > 0 ? audio.ToArray() : throw new DifyException(DifyFailure.StreamFailed, "Dify answered no audio.");
            },
            ct);
    }

    public Task<DifyAppInfo> GetInfoAsync(CancellationToken ct) =>
        RunAsync(InfoOperation, () => new RestRequest("info"), static async (body, token) =>
        {
            using var json = await JsonDocument.ParseAsync(body, cancellationToken: token).ConfigureAwait(false);
            var root = json.RootElement;
            return root.ValueKind == JsonValueKind.Object
                ? new DifyAppInfo(Text(root, "name"), Text(root, "mode"))
                : throw new JsonException("GET /info did not answer an object.");

            static string? Text(JsonElement e, string name) =>
                e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }, ct);

    public Task FeedbackAsync(string messageId, string? rating, string user, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(user);
        // Not RunSimpleAsync: a 404 here means the answer is unknown to Dify, which the follower is told, not "done".
        return RunAsync(FeedbackOperation, () => FeedbackRequest(messageId, rating, user), static (_, _) => ValueTask.FromResult(true), ct);
    }

    public Task<IReadOnlyList<string>> GetSuggestedQuestionsAsync(string messageId, string user, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(user);
        return RunAsync(SuggestedOperation,
            () => new RestRequest("messages/{message}/suggested").AddUrlSegment("message", messageId).AddQueryParameter("user", user),
            ReadSuggestedAsync, ct);
    }

    public Task<DifyAppParameters> GetParametersAsync(string user, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(user);
        return RunAsync(ParametersOperation, () => new RestRequest("parameters").AddQueryParameter("user", user),
            static async (body, token) => DifyAppParameters.Parse(await JsonDocument.ParseAsync(body, cancellationToken: token).ConfigureAwait(false)),
            ct);
    }

    public Task<string> UploadFileAsync(DifyUpload file, string user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(user);
        return RunAsync(UploadOperation, () => UploadRequest(file, user), ReadUploadIdAsync, ct);
    }

    public Task<string> AudioToTextAsync(DifyUpload audio, string user, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(audio);
        ArgumentException.ThrowIfNullOrEmpty(user);
        return RunAsync(AudioToTextOperation, () => AudioToTextRequest(audio, user), ReadTranscriptAsync, ct);
    }

    Task RunSimpleAsync(string operation, Func<RestRequest> build, CancellationToken ct) =>
        RunAsync<bool>(operation, build, read: null, ct);

    /// <summary>
    /// A request without a stream, through the same pipelines and metrics as a chat turn. Without
    /// <paramref name="read"/> a 404 counts as done (see <see cref="RunOnceAsync{T}"/>).
    /// </summary>
    async Task<T> RunAsync<T>(string operation, Func<RestRequest> build, Func<Stream, CancellationToken, ValueTask<T>>? read, CancellationToken ct)
    {
        var started = timeProvider.GetTimestamp();
        var outcome = "error";
        try
        {
            EnsureConfigured();
            var result = await transport.Turn.ExecuteAsync(
                static (state, token) => state.Self.RunOnceAsync(state.Build, state.Read, token),
                (Self: this, Build: build, Read: read),
                ct).ConfigureAwait(false);
            outcome = "success";
            return result;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            outcome = "canceled";
            throw;
        }
        catch (Exception ex) when (ToDifyException(ex) is { } failure)
        {
            outcome = DifyErrors.TagValue(failure.Failure);
            Record(operation, failure);
            if (ReferenceEquals(failure, ex))
            {
                throw;
            }

            throw failure;
        }
        finally
        {
            metrics.Finished(operation, outcome, timeProvider.GetElapsedTime(started));
        }
    }

    async ValueTask<(DifyAnswer Answer, bool Complete)> RunTurnAsync(
        DifyChatRequest request,
        Func<DifyProgress, CancellationToken, ValueTask>? onProgress,
        CancellationToken ct)
    {
        if (!request.AppType.HasConversation())
        {
            using var run = await SendAsync(() => AppRunRequest(request), ct).ConfigureAwait(false);
            if (!run.IsSuccess)
            {
                throw HttpFailure(run);
            }

            return await ReadAnswerAsync(run.Body!, null, request.AppType, onProgress, ct).ConfigureAwait(false);
        }

        var conversationId = string.IsNullOrEmpty(request.ConversationId) ? null : request.ConversationId;
        var result = await SendAsync(() => ChatRequest(request, conversationId), ct).ConfigureAwait(false);
        if (result.IsConversationNotFound && conversationId is not null)
        {
            DifyLog.ConversationNotFound(logger, conversationId);
            result.Dispose();
            conversationId = null;
            result = await SendAsync(() => ChatRequest(request, conversationId: null), ct).ConfigureAwait(false);
        }

        using (result)
        {
            if (!result.IsSuccess)
            {
                throw HttpFailure(result);
            }

            return await ReadAnswerAsync(result.Body!, conversationId, request.AppType, onProgress, ct).ConfigureAwait(false);
        }
    }

    async ValueTask<T> RunOnceAsync<T>(Func<RestRequest> build, Func<Stream, CancellationToken, ValueTask<T>>? read, CancellationToken ct)
    {
        using var result = await SendAsync(build, ct).ConfigureAwait(false);
        if (read is null)
        {
            // Dify answers 404 for a conversation it has already forgotten and a task that has already ended, which is
            // what the caller wanted in both cases.
            return !result.IsSuccess && result.Status != 404 ? throw HttpFailure(result) : default!;
        }

        if (!result.IsSuccess)
        {
            throw HttpFailure(result);
        }

        try
        {
            return await read(result.Body!, ct).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new DifyException(DifyFailure.Rejected, "Dify's answer was not the JSON expected.", result.Status, inner: ex);
        }
    }

    /// <summary><c>{"result":"success","data":["…"]}</c>; blank entries are dropped, anything but strings is ignored.</summary>
    static async ValueTask<IReadOnlyList<string>> ReadSuggestedAsync(Stream body, CancellationToken ct)
    {
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct).ConfigureAwait(false);
        if (json.RootElement.ValueKind != JsonValueKind.Object
            || !json.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("The suggested questions answer carried no data array.");
        }

        return data.EnumerateArray()
            .Where(q => q.ValueKind == JsonValueKind.String)
            .Select(q => q.GetString()!.Trim())
            .Where(q => q.Length > 0)
            .ToList();
    }

    static async ValueTask<string> ReadUploadIdAsync(Stream body, CancellationToken ct)
    {
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct).ConfigureAwait(false);
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } value
            ? value
            : throw new JsonException("The upload answer carried no file id.");
    }

    static async ValueTask<string> ReadTranscriptAsync(Stream body, CancellationToken ct)
    {
        using var json = await JsonDocument.ParseAsync(body, cancellationToken: ct).ConfigureAwait(false);
        return json.RootElement.ValueKind == JsonValueKind.Object
            && json.RootElement.TryGetProperty("text", out var text) && text.ValueKind is JsonValueKind.String or JsonValueKind.Null
            ? text.GetString() ?? ""
            : throw new JsonException("The audio-to-text answer carried no text.");
    }

    async Task<(DifyAnswer Answer, bool Complete)> ReadAnswerAsync(
        Stream body,
        string? requestConversationId,
        DifyAppType appType,
        Func<DifyProgress, CancellationToken, ValueTask>? onProgress,
        CancellationToken ct)
    {
        // The same bound as for the response headers applies to every silence inside the stream; Dify's pings
        // (every ~10 s) keep a slow but healthy answer alive.
        using var idle = new CancellationTokenSource(options.AttemptTimeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, idle.Token);
        DifyStreamResult stream;
        try
        {
            await using var watched = new IdleTimeoutStream(body, idle, options.AttemptTimeout);
            stream = await DifyStreamReader.ReadAsync(watched, onProgress, linked.Token, workflow: appType == DifyAppType.Workflow).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransportFailure(ex) && idle.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new DifyException(DifyFailure.Timeout,
                $"Dify's answer stream was silent for longer than {options.AttemptTimeout}.", inner: ex);
        }
        catch (Exception ex) when (IsTransportFailure(ex) && ct.IsCancellationRequested)
        {
            // The turn's own timeout or the caller stopped us; the pipeline decides which from this exception.
            throw new OperationCanceledException(ct);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw new DifyException(DifyFailure.StreamFailed, "Dify's answer stream broke before message_end.", inner: ex);
        }

        if (stream.MalformedFrames > 0)
        {
            DifyLog.MalformedFrames(logger, stream.MalformedFrames);
        }

        if (stream.Error is { } error)
        {
            throw new DifyException(DifyErrors.ForStream(error),
                $"Dify ended the answer with an error: {Describe(error.Status, error.Code, error.Message)}.",
                error.Status, error.Code);
        }

        if (!stream.Completed)
        {
            if (stream.Text.Length == 0)
            {
                throw new DifyException(DifyFailure.StreamFailed, "Dify's answer stream ended before message_end, with no answer.");
            }

            DifyLog.IncompleteStream(logger, stream.Text.Length);
        }

        if (stream.WorkflowFinished is { } finished)
        {
            return (new DifyAnswer(WorkflowAnswer(finished, stream.Text), "", null, null, stream.Files), true);
        }

        if (!appType.HasConversation())
        {
            return (new DifyAnswer(stream.Text, "", stream.MessageId, stream.Usage, stream.Files), stream.Completed);
        }

        var conversationId = stream.ConversationId ?? requestConversationId
            ?? throw new DifyException(DifyFailure.StreamFailed, "Dify's answer stream carried no conversation id.");
        return (new DifyAnswer(stream.Text, conversationId, stream.MessageId, stream.Usage, stream.Files), stream.Completed);
    }

    /// <summary>
    /// A finished workflow's answer: its output <c>Dify:WorkflowAnswerOutput</c>, else the text it streamed
    /// (<c>text_chunk</c>), else its only text output. A failed workflow, or one without any of these, is a failure
    /// whose message names what to fix.
    /// </summary>
    string WorkflowAnswer(DifyEventData finished, string streamed)
    {
        if (finished.Status is "failed")
        {
            throw new DifyException(DifyFailure.StreamFailed, $"The Dify workflow failed: {Redact(finished.ErrorText ?? "(no error text)")}.");
        }

        var outputs = finished.Outputs is { ValueKind: JsonValueKind.Object } o ? o : default;
        if (outputs.ValueKind == JsonValueKind.Object && outputs.TryGetProperty(options.WorkflowAnswerOutput, out var named))
        {
            return named.ValueKind == JsonValueKind.String ? named.GetString() ?? "" : named.GetRawText();
        }

        if (streamed.Length > 0)
        {
            return streamed;
        }

        var texts = outputs.ValueKind == JsonValueKind.Object
            ? outputs.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).ToList()
            : [];
        if (texts.Count == 1)
        {
            return texts[0].Value.GetString() ?? "";
        }

        var names = outputs.ValueKind == JsonValueKind.Object ? string.Join(", ", outputs.EnumerateObject().Select(p => p.Name)) : "";
        throw new DifyException(DifyFailure.Misconfigured,
            $"The Dify workflow has no output '{options.WorkflowAnswerOutput}' (its outputs: {(names.Length == 0 ? "none" : names)}); set Dify:WorkflowAnswerOutput.");
    }

    ValueTask<DifyHttpResult> SendAsync(Func<RestRequest> build, CancellationToken ct) =>
        transport.Attempt.ExecuteAsync(
            static (state, token) => state.Self.SendOnceAsync(state.Build(), token),
            (Self: this, Build: build),
            ct);

    async ValueTask<DifyHttpResult> SendOnceAsync(RestRequest request, CancellationToken ct)
    {
        var capture = new DifyResponseCapture(timeProvider, options.MaxRetryDelay);
        request.Interceptors = [capture];
        request.CompletionOption = HttpCompletionOption.ResponseHeadersRead;
        request.AddHeader("Authorization", $"Bearer {apiKey}");

        Stream? body;
        try
        {
            body = await transport.Rest.DownloadStreamAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (capture.Status is not (null or (>= 200 and < 300)) && ex is not OperationCanceledException)
        {
            // ThrowOnAnyError also turns an error status into an exception; the capture already holds what matters.
            body = null;
        }

        if (capture.Status is not { } status)
        {
            body?.Dispose();
            throw new HttpRequestException("Dify's response carried no status.");
        }

        if (status is >= 200 and < 300)
        {
            return DifyHttpResult.Succeeded(status, body ?? throw new HttpRequestException("Dify's response had no body."));
        }

        body?.Dispose();
        if (status == 429)
        {
            metrics.RateLimitedResponse();
        }

        return DifyHttpResult.Failed(status, capture.Error, capture.RetryAfter);
    }

    RestRequest ChatRequest(DifyChatRequest request, string? conversationId)
    {
        var files = request.Files is { Count: > 0 } refs
            ? refs.Select(f => new ChatFileBody(f.Type, "local_file", f.UploadFileId)).ToList()
            : null;
        var body = new ChatMessagesBody(request.Inputs ?? NoInputs, request.Query, "streaming", request.User, conversationId ?? "",
            options.AutoGenerateName, files);
        return new RestRequest("chat-messages", Method.Post)
            .AddStringBody(JsonSerializer.Serialize(body, DifyJsonContext.Default.ChatMessagesBody), ContentType.Json);
    }

    static RestRequest UploadRequest(DifyUpload file, string user) =>
        new RestRequest("files/upload", Method.Post) { AlwaysMultipartFormData = true }
            .AddFile("file", file.Content, file.FileName, file.ContentType)
            .AddParameter("user", user);

    static RestRequest AudioToTextRequest(DifyUpload audio, string user) =>
        new RestRequest("audio-to-text", Method.Post) { AlwaysMultipartFormData = true }
            .AddFile("file", audio.Content, audio.FileName, audio.ContentType)
            .AddParameter("user", user);

    /// <summary>A workflow's or completion app's run: the question goes into the input <c>Dify:WorkflowQueryInput</c>.</summary>
    RestRequest AppRunRequest(DifyChatRequest request)
    {
        var inputs = new Dictionary<string, string>(request.Inputs ?? NoInputs) { [options.WorkflowQueryInput] = request.Query };
        var files = request.Files is { Count: > 0 } refs
            ? refs.Select(f => new ChatFileBody(f.Type, "local_file", f.UploadFileId)).ToList()
            : null;
        var body = new AppRunBody(inputs, "streaming", request.User, files);
        return new RestRequest(request.AppType == DifyAppType.Workflow ? "workflows/run" : "completion-messages", Method.Post)
            .AddStringBody(JsonSerializer.Serialize(body, DifyJsonContext.Default.AppRunBody), ContentType.Json);
    }

    static RestRequest DeleteRequest(string conversationId, string user) =>
        new RestRequest("conversations/{id}", Method.Delete)
            .AddUrlSegment("id", conversationId)
            .AddStringBody(JsonSerializer.Serialize(new DeleteConversationBody(user), DifyJsonContext.Default.DeleteConversationBody),
                ContentType.Json);

    static RestRequest StopRequest(string taskId, string user, DifyAppType appType) =>
        new RestRequest(appType switch
        {
            DifyAppType.Workflow => "workflows/tasks/{task}/stop",
            DifyAppType.Completion => "completion-messages/{task}/stop",
            _ => "chat-messages/{task}/stop",
        }, Method.Post)
            .AddUrlSegment("task", taskId)
            .AddStringBody(JsonSerializer.Serialize(new StopMessageBody(user), DifyJsonContext.Default.StopMessageBody),
                ContentType.Json);

    static RestRequest FeedbackRequest(string messageId, string? rating, string user) =>
        new RestRequest("messages/{message}/feedbacks", Method.Post)
            .AddUrlSegment("message", messageId)
            .AddStringBody(JsonSerializer.Serialize(new FeedbackBody(rating, user), DifyJsonContext.Default.FeedbackBody),
                ContentType.Json);

    void EnsureConfigured()
    {
        if (apiKey.Length == 0)
        {
            throw new DifyException(DifyFailure.NotConfigured, "Dify:ApiKey is not configured.");
        }
    }

    DifyException HttpFailure(DifyHttpResult result) =>
        new(DifyErrors.ForHttp(result.Status, result.Error?.Code),
            $"Dify answered HTTP {Describe(result.Status, result.Error?.Code, result.Error?.Message)}.",
            result.Status, result.Error?.Code);

    string Describe(int? status, string? code, string? message)
    {
        var text = $"{status?.ToString() ?? "?"} {code ?? "(no code)"}";
        return string.IsNullOrWhiteSpace(message) ? text : $"{text}: {Redact(message)}";
    }

    // Dify does not echo the key today; a proxy or a future error text might, and this message reaches logs.
    string Redact(string text) => apiKey.Length == 0 ? text : text.Replace(apiKey, "***", StringComparison.Ordinal);

    DifyException? ToDifyException(Exception ex) => ex switch
    {
        DifyException dify => dify,
        TimeoutRejectedException timeout => new DifyException(DifyFailure.Timeout,
            $"Dify did not answer within {timeout.Timeout}.", inner: ex),
        BrokenCircuitException => new DifyException(DifyFailure.Unavailable,
            $"Dify kept failing; calls are paused for up to {options.BreakDuration}.", inner: ex),
        _ when IsTransportFailure(ex) && ex is not OperationCanceledException => new DifyException(DifyFailure.Unavailable,
            $"Could not reach Dify: {Redact(ex.Message)}", inner: ex),
        // Not the caller's cancellation (that is rethrown before this), so some timeout of ours fired.
        OperationCanceledException => new DifyException(DifyFailure.Timeout, "Dify did not answer in time.", inner: ex),
        _ => null,
    };

    static bool IsTransportFailure(Exception ex) =>
        ex is OperationCanceledException or IOException or HttpRequestException or SocketException;

    void Record(string operation, DifyException failure)
    {
        metrics.Failed(operation, failure.Failure);
        DifyLog.Failed(logger, failure.Failure, failure.HttpStatus, failure.Code);
    }

    /// <summary>Failures to reach Dify at all, which are worth retrying and count against the circuit.</summary>
    internal static bool IsConnectionFailure(Exception ex) => ex is HttpRequestException or SocketException;
}
