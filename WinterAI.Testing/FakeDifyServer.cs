using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace WinterAI.Testing;

/// <summary>
/// A real Kestrel server on 127.0.0.1 that speaks Dify's service API (<c>POST /v1/chat-messages</c> in streaming
/// mode, <c>DELETE /v1/conversations/{id}</c>). By default it behaves like a stateful Dify app: it answers
/// <c>echo: {query}</c> (or <see cref="Answer"/>) as a ping, several <c>message</c> events split across writes and a
/// <c>message_end</c> with usage; it issues a new conversation id per new conversation, remembers which user owns
/// it, and answers an unknown one with Dify's 404. <see cref="Behaviour"/> replaces all of that for scripted
/// failures; <see cref="RespondAsDifyAsync"/> is the default, for scripts that fail only sometimes.
/// </summary>
public sealed class FakeDifyServer : IAsyncDisposable
{
    readonly Lock sync = new();
    readonly List<FakeDifyCall> calls = [];
    readonly List<FakeDifyCall> probes = [];
    readonly List<(int Count, TaskCompletionSource Reached)> waiters = [];
    readonly ConcurrentDictionary<string, string> conversations = new();
    readonly ConcurrentDictionary<string, FakeDifyUpload> uploads = new();
    readonly ConcurrentDictionary<string, string> messages = new();
    readonly ConcurrentQueue<FakeDifyFeedback> feedbacks = new();
    readonly List<string> fileDownloads = [];
    readonly CancellationTokenSource stopping = new();
    LoopbackWebApp? web;
    int disposed;

    FakeDifyServer()
    {
    }

    /// <summary>Files served outside <c>/v1</c> by path (<c>/files/tools/x.png</c>), as Dify serves its tools' and generated files.</summary>
    public ConcurrentDictionary<string, (byte[] Content, string ContentType)> Files { get; } = new();

    /// <summary>Every GET of a path under <c>/files</c>, with its query, in order.</summary>
    public IReadOnlyList<string> FileDownloads
    {
        get
        {
            lock (sync)
            {
                return [.. fileDownloads];
            }
        }
    }

    /// <summary>
    /// <c>message_file</c> events sent after the answer's chunks and before <c>message_end</c>: (url, type) as Dify writes
    /// them, relative (<c>/files/tools/…</c>) or absolute.
    /// </summary>
    public Func<FakeDifyCall, IReadOnlyList<(string Url, string Type)>>? AnswerFiles { get; set; }

    /// <summary>The origin of <see cref="BaseUrl"/> (<c>http://127.0.0.1:41234</c>), where <see cref="Files"/> are served.</summary>
    public string Origin { get; private set; } = "";

    /// <summary>Service API base, e.g. <c>http://127.0.0.1:41234/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Every request so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<FakeDifyCall> Calls
    {
        get
        {
            lock (sync)
            {
                return calls.ToArray();
            }
        }
    }

    /// <summary>How many requests for an answer (<c>POST /chat-messages</c>, <c>/workflows/run</c>, <c>/completion-messages</c>) arrived, whatever they were answered.</summary>
    public int ChatCallCount
    {
        get
        {
            lock (sync)
            {
                return calls.Count(c => c.IsTurn);
            }
        }
    }

    /// <summary>The answer text of the default behaviour; null answers <c>echo: {query}</c>.</summary>
    public Func<FakeDifyCall, string>? Answer { get; set; }

    /// <summary>How long the default behaviour waits (after headers are decided, before streaming). Default zero.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>When set, every default answer waits for it before streaming; complete it to release them.</summary>
    public TaskCompletionSource? Gate { get; set; }

    /// <summary>How many <c>message</c> events the default answer is split into. Default 3.</summary>
    public int ChunkCount { get; set; } = 3;

    /// <summary>
    /// When set, the default answer awaits it before sending chunk N (0-based) of <see cref="ChunkCount"/>: holds a
    /// stream part-way, so a test can see a partial answer before releasing the rest. The token fires when the
    /// client goes away.
    /// </summary>
    public Func<FakeDifyCall, int, CancellationToken, Task>? BeforeChunk { get; set; }

    /// <summary>
    /// When set, answers every request (chat and delete) instead of the default behaviour. The call is already in
    /// <see cref="Calls"/> when the script runs, so <see cref="ChatCallCount"/> is 1 during the first chat.
    /// </summary>
    public Func<FakeDifyCall, HttpContext, Task>? Behaviour { get; set; }

    /// <summary>When set, requests without <c>Authorization: Bearer {RequiredApiKey}</c> get Dify's 401.</summary>
    public string? RequiredApiKey { get; set; }

    /// <summary>
    /// What <c>GET /parameters</c> answers, in Dify's shape; change it to switch app features on (image upload,
    /// suggested questions, input forms). Default: Dify's defaults for a new chat app (image upload off).
    /// </summary>
    public JsonObject Parameters { get; set; } = DefaultParameters(imagesEnabled: false);

    /// <summary>What <c>POST /audio-to-text</c> answers as the recording's text. Default <c>今天天气怎么样</c>.</summary>
    public Func<FakeDifyUpload, string> Transcript { get; set; } = _ => "今天天气怎么样";

    /// <summary>Recordings sent to <c>POST /audio-to-text</c>, oldest first.</summary>
    public IReadOnlyList<FakeDifyUpload> Recordings
    {
        get
        {
            lock (sync)
            {
                return calls.Where(c => c.IsAudioToText && c.Upload is not null).Select(c => c.Upload!).ToArray();
            }
        }
    }

    /// <summary>Files uploaded with <c>POST /files/upload</c>: id → the file as received.</summary>
    public IReadOnlyDictionary<string, FakeDifyUpload> Uploads => new Dictionary<string, FakeDifyUpload>(uploads);

    /// <summary>Dify's <c>/parameters</c> answer for a chat app, with image upload on or off (3 images, 10 MB).</summary>
    public static JsonObject DefaultParameters(bool imagesEnabled) => new()
    {
        ["opening_statement"] = "",
        ["suggested_questions"] = new JsonArray(),
        ["suggested_questions_after_answer"] = new JsonObject { ["enabled"] = false },
        ["speech_to_text"] = new JsonObject { ["enabled"] = false },
        ["user_input_form"] = new JsonArray(),
        ["file_upload"] = new JsonObject
        {
            ["image"] = new JsonObject
            {
                ["enabled"] = imagesEnabled,
                ["number_limits"] = 3,
                ["transfer_methods"] = new JsonArray("local_file", "remote_url"),
            },
        },
        ["system_parameters"] = new JsonObject { ["image_file_size_limit"] = 10, ["file_size_limit"] = 15 },
    };

    /// <summary>How long <c>GET /parameters</c> takes (probes are not scripted by <see cref="Behaviour"/>). Default zero.</summary>
    public TimeSpan ParametersDelay { get; set; }

    /// <summary>
    /// The app's mode as <c>GET /info</c> says it: <c>chat</c> (default), <c>agent-chat</c>, <c>advanced-chat</c>,
    /// <c>workflow</c> or <c>completion</c>. It decides which route answers (the others answer Dify's 400
    /// <c>not_chat_app</c> / <c>not_workflow_app</c> / <c>not_completion_app</c>) and which events the stream carries.
    /// </summary>
    public string Mode { get; set; } = "chat";

    /// <summary>When set, answers <c>GET /info</c> and <c>GET /parameters</c> instead of the default (which <see cref="Behaviour"/> never replaces).</summary>
    public Func<FakeDifyCall, HttpContext, Task>? ProbeBehaviour { get; set; }

    /// <summary>What <c>POST /text-to-audio</c> answers (as <c>audio/mpeg</c>): a few bytes that start like an MP3 file.</summary>
    public byte[] Speech { get; set; } = [0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFB, 0x90, 0x64];

    /// <summary>False answers <c>GET /info</c> with 404, as Dify before 0.6 did.</summary>
    public bool HasInfo { get; set; } = true;

    /// <summary>A workflow's outputs for an answer; default <c>{"text": answer}</c>.</summary>
    public Func<string, JsonObject> WorkflowOutputs { get; set; } = answer => new JsonObject { ["text"] = answer };

    /// <summary>Requests for what the app is (<c>GET /info</c>, <c>GET /parameters</c>), kept apart from <see cref="Calls"/>.</summary>
    public IReadOnlyList<FakeDifyCall> Probes
    {
        get
        {
            lock (sync)
            {
                return probes.ToArray();
            }
        }
    }

    /// <summary>
    /// What <c>GET /messages/{id}/suggested</c> answers for a message this fake answered, while
    /// <c>suggested_questions_after_answer</c> is on in <see cref="Parameters"/> (Dify answers 400 otherwise).
    /// Default three questions about the query.
    /// </summary>
    public Func<FakeDifyCall, IReadOnlyList<string>> Suggestions { get; set; } =
        _ => ["还有别的例子吗？", "能说得更详细一点吗？", "有什么需要注意的？"];

    /// <summary>When set, every <c>suggested</c> request waits for it; complete it to release them.</summary>
    public TaskCompletionSource? SuggestionsGate { get; set; }

    /// <summary>Ratings taken with <c>POST /messages/{id}/feedbacks</c> for messages this fake answered, oldest first.</summary>
    public IReadOnlyList<FakeDifyFeedback> Feedbacks => feedbacks.ToArray();

    /// <summary>Ids of the answers this fake streamed (its <c>message_id</c>s): id → the user it answered.</summary>
    public IReadOnlyDictionary<string, string> Messages => new Dictionary<string, string>(messages);

    /// <summary>Switches "suggested questions after answer" on or off in <see cref="Parameters"/>.</summary>
    public void SuggestQuestions(bool enabled) =>
        Parameters["suggested_questions_after_answer"] = new JsonObject { ["enabled"] = enabled };

    /// <summary>Known conversations: id → the user who owns it.</summary>
    public IReadOnlyDictionary<string, string> Conversations => new Dictionary<string, string>(conversations);

    public static async Task<FakeDifyServer> StartAsync()
    {
        var server = new FakeDifyServer();
        server.web = await LoopbackWebApp.StartAsync(app => app.Run(server.HandleAsync));
        server.BaseUrl = server.web.BaseUrl + "/v1";
        server.Origin = server.web.BaseUrl;
        return server;
    }

    /// <summary>Starts a conversation for <paramref name="user"/> as if an earlier turn had, and returns its id.</summary>
    public string CreateConversation(string user)
    {
        var id = Guid.NewGuid().ToString();
        conversations[id] = user;
        return id;
    }

    /// <summary>Completes when at least <paramref name="count"/> requests have arrived; fails after <paramref name="timeout"/>.</summary>
    public Task WaitForCallsAsync(int count, TimeSpan timeout)
    {
        TaskCompletionSource reached;
        lock (sync)
        {
            if (calls.Count >= count)
            {
                return Task.CompletedTask;
            }

            reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiters.Add((count, reached));
        }

        return WaitAsync();

        async Task WaitAsync()
        {
            try
            {
                await reached.Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"Fake Dify saw {Calls.Count} call(s) within {timeout}, expected {count}.");
            }
        }
    }

    /// <summary>The default, stateful Dify behaviour; scripts call it for the requests they do not fail.</summary>
    public async Task RespondAsDifyAsync(FakeDifyCall call, HttpContext context)
    {
        if (RequiredApiKey is { } key && call.Authorization != $"Bearer {key}")
        {
            await FakeDifySse.ErrorAsync(context, 401, "unauthorized", "Access token is invalid");
            return;
        }

        if (call.IsTurn && ModeMismatch(call) is { } mismatch)
        {
            await FakeDifySse.ErrorAsync(context, 400, mismatch, "App mode does not match the API route");
        }
        else if (call.IsChat)
        {
            await ChatAsync(call, context);
        }
        else if (call.IsWorkflowRun || call.IsCompletion)
        {
            await RunAsync(call, context);
        }
        else if (call.Method == "GET" && call.Path.EndsWith("/info", StringComparison.Ordinal) && HasInfo)
        {
            await context.Response.WriteAsJsonAsync(new { name = "Fake Dify", description = "", tags = Array.Empty<string>(), mode = Mode, author_name = "tests" }, context.RequestAborted);
        }
        else if (call.IsDeleteConversation)
        {
            await DeleteAsync(call, context);
        }
        else if (call.Method == "GET" && call.Path.EndsWith("/parameters", StringComparison.Ordinal))
        {
            if (ParametersDelay > TimeSpan.Zero)
            {
                await Task.Delay(ParametersDelay, context.RequestAborted);
            }

            await context.Response.WriteAsync(Parameters.ToJsonString(), context.RequestAborted);
        }
        else if (call.Method == "POST" && call.Path.EndsWith("/text-to-audio", StringComparison.Ordinal))
        {
            context.Response.ContentType = "audio/mpeg";
            await context.Response.Body.WriteAsync(Speech, context.RequestAborted);
        }
        else if (call.IsUpload)
        {
            await UploadAsync(call, context);
        }
        else if (call.IsAudioToText)
        {
            await AudioToTextAsync(call, context);
        }
        else if (call.Method == "POST" && call.Path.Contains("/messages/", StringComparison.Ordinal) && call.Path.EndsWith("/feedbacks", StringComparison.Ordinal))
        {
            await FeedbackAsync(call, context);
        }
        else if (call.Method == "GET" && call.Path.Contains("/messages/", StringComparison.Ordinal) && call.Path.EndsWith("/suggested", StringComparison.Ordinal))
        {
            await SuggestedAsync(call, context);
        }
        else if (call.IsStop)
        {
            await context.Response.WriteAsJsonAsync(new { result = "success" }, context.RequestAborted);
        }
        else
        {
            await FakeDifySse.ErrorAsync(context, 404, "not_found", "The requested URL was not found on the server.");
        }
    }

    async Task ChatAsync(FakeDifyCall call, HttpContext context)
    {
        if (string.IsNullOrEmpty(call.Query) || string.IsNullOrEmpty(call.User))
        {
            await FakeDifySse.ErrorAsync(context, 400, "invalid_param", "query and user are required");
            return;
        }

        string conversationId;
        if (call.ConversationId is { } existing)
        {
            if (!conversations.TryGetValue(existing, out var owner) || owner != call.User)
            {
                await ConversationNotExistsAsync(context);
                return;
            }

            conversationId = existing;
        }
        else
        {
            conversationId = CreateConversation(call.User);
        }

        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(context.RequestAborted);
        }

        var answer = Answer?.Invoke(call) ?? $"echo: {call.Query}";
        var messageId = Guid.NewGuid().ToString();
        messages[messageId] = call.User;
        await FakeDifySse.BeginStreamAsync(context);
        await FakeDifySse.SendPingAsync(context);
        if (Mode == "advanced-chat")
        {
            await FakeDifySse.SendEventAsync(context, FakeDifySse.NodeEvent("workflow_started", conversationId));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.NodeEvent("node_started", conversationId));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.NodeEvent("node_finished", conversationId));
        }
        else if (Mode == "agent-chat")
        {
            await FakeDifySse.SendEventAsync(context, FakeDifySse.AgentThought(conversationId, messageId));
        }

        var chunks = FakeDifySse.Chunks(answer, ChunkCount);
        for (var index = 0; index < chunks.Count; index++)
        {
            var chunk = chunks[index];
            if (BeforeChunk is { } beforeChunk)
            {
                await beforeChunk(call, index, context.RequestAborted);
            }
            // Two writes per frame, so even the default answer arrives with frames split across reads.
            var frame = $"data: {FakeDifySse.Message(chunk, conversationId, messageId, Mode == "agent-chat" ? "agent_message" : "message")}\n\n";
            var half = frame.Length / 2;
            await FakeDifySse.SendRawAsync(context, frame[..half], int.MaxValue);
            await FakeDifySse.SendRawAsync(context, frame[half..], int.MaxValue);
        }

        foreach (var (url, type) in AnswerFiles?.Invoke(call) ?? [])
        {
            await FakeDifySse.SendEventAsync(context, FakeDifySse.MessageFile(url, type, conversationId, messageId));
        }

        if (Mode == "advanced-chat")
        {
            await FakeDifySse.SendEventAsync(context, FakeDifySse.WorkflowFinished(new JsonObject { ["answer"] = answer }));
        }

        await FakeDifySse.SendEventAsync(context,
            FakeDifySse.MessageEnd(conversationId, messageId, (call.Query.Length, answer.Length)));
    }

    string? ModeMismatch(FakeDifyCall call) => Mode switch
    {
        "workflow" when !call.IsWorkflowRun => call.IsChat ? "not_chat_app" : "not_completion_app",
        "completion" when !call.IsCompletion => call.IsChat ? "not_chat_app" : "not_workflow_app",
        "chat" or "agent-chat" or "advanced-chat" when !call.IsChat => call.IsWorkflowRun ? "not_workflow_app" : "not_completion_app",
        _ => null,
    };

    /// <summary>A workflow's run (<c>text_chunk</c>s, <c>workflow_finished</c>) or a completion app's (<c>message</c>s, <c>message_end</c>).</summary>
    async Task RunAsync(FakeDifyCall call, HttpContext context)
    {
        if (string.IsNullOrEmpty(call.User) || !call.Inputs.TryGetValue("query", out var query) || query.Length == 0)
        {
            await FakeDifySse.ErrorAsync(context, 400, "invalid_param", "query is required in input form");
            return;
        }

        if (Gate is { } gate)
        {
            await gate.Task.WaitAsync(context.RequestAborted);
        }

        var answer = Answer?.Invoke(call) ?? $"echo: {query}";
        var messageId = Guid.NewGuid().ToString();
        if (call.IsCompletion)
        {
            messages[messageId] = call.User!;
        }

        await FakeDifySse.BeginStreamAsync(context);
        if (call.IsWorkflowRun)
        {
            await FakeDifySse.SendEventAsync(context, FakeDifySse.NodeEvent("workflow_started"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.NodeEvent("node_started"));
        }

        var chunks = FakeDifySse.Chunks(answer, ChunkCount);
        for (var index = 0; index < chunks.Count; index++)
        {
            if (BeforeChunk is { } beforeChunk)
            {
                await beforeChunk(call, index, context.RequestAborted);
            }

            await FakeDifySse.SendEventAsync(context, call.IsWorkflowRun ? FakeDifySse.TextChunk(chunks[index]) : FakeDifySse.Message(chunks[index], "", messageId));
        }

        if (call.IsWorkflowRun)
        {
            await FakeDifySse.SendEventAsync(context, FakeDifySse.NodeEvent("node_finished"));
            await FakeDifySse.SendEventAsync(context, FakeDifySse.WorkflowFinished(WorkflowOutputs(answer)));
        }
        else
        {
            await FakeDifySse.SendEventAsync(context, FakeDifySse.MessageEnd("", messageId));
        }
    }

    static string MessageIdOf(FakeDifyCall call)
    {
        var segments = call.Path.Split('/');
        return segments.Length >= 2 ? segments[^2] : "";
    }

    async Task FeedbackAsync(FakeDifyCall call, HttpContext context)
    {
        var id = MessageIdOf(call);
        if (!messages.ContainsKey(id))
        {
            await FakeDifySse.ErrorAsync(context, 404, "not_found", "Message Not Exists.");
            return;
        }

        string? rating = null;
        using (var json = JsonDocument.Parse(call.RawBody.Length == 0 ? "{}" : call.RawBody))
        {
            if (json.RootElement.TryGetProperty("rating", out var value) && value.ValueKind == JsonValueKind.String)
            {
                rating = value.GetString();
            }
        }

        feedbacks.Enqueue(new FakeDifyFeedback(id, rating, call.User));
        await context.Response.WriteAsJsonAsync(new { result = "success" }, context.RequestAborted);
    }

    async Task SuggestedAsync(FakeDifyCall call, HttpContext context)
    {
        var user = context.Request.Query["user"].ToString();
        if (!messages.TryGetValue(MessageIdOf(call), out var owner) || owner != user)
        {
            await FakeDifySse.ErrorAsync(context, 404, "not_found", "Message Not Exists.");
            return;
        }

        if (Parameters["suggested_questions_after_answer"]?["enabled"]?.GetValue<bool>() != true)
        {
            await FakeDifySse.ErrorAsync(context, 400, "bad_request", "Suggested Questions Is Disabled.");
            return;
        }

        if (SuggestionsGate is { } gate)
        {
            await gate.Task.WaitAsync(context.RequestAborted);
        }

        await context.Response.WriteAsJsonAsync(new { result = "success", data = Suggestions(call) }, context.RequestAborted);
    }

    async Task UploadAsync(FakeDifyCall call, HttpContext context)
    {
        if (call.Upload is not { } upload)
        {
            await FakeDifySse.ErrorAsync(context, 400, "no_file_uploaded", "Please upload your file.");
            return;
        }

        var id = Guid.NewGuid().ToString();
        uploads[id] = upload;
        context.Response.StatusCode = 201;
        await context.Response.WriteAsJsonAsync(new
        {
            id,
            name = upload.FileName,
            size = upload.Content.Length,
            extension = Path.GetExtension(upload.FileName).TrimStart('.'),
            mime_type = upload.ContentType,
            created_by = upload.User,
            created_at = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds(),
        }, context.RequestAborted);
    }

    /// <summary>Dify's checks: a file, and an audio MIME type of the extensions it takes; then <see cref="Transcript"/>.</summary>
    async Task AudioToTextAsync(FakeDifyCall call, HttpContext context)
    {
        string[] accepted = ["mp3", "mp4", "mpeg", "mpga", "m4a", "wav", "webm", "amr"];
        if (call.Upload is not { } recording)
        {
            await FakeDifySse.ErrorAsync(context, 400, "no_audio_uploaded", "Please upload your audio.");
            return;
        }

        if (!accepted.Any(extension => recording.ContentType == $"audio/{extension}"))
        {
            await FakeDifySse.ErrorAsync(context, 415, "unsupported_audio_type", "Audio type not allowed.");
            return;
        }

        await context.Response.WriteAsJsonAsync(new { text = Transcript(recording) }, context.RequestAborted);
    }

    async Task DeleteAsync(FakeDifyCall call, HttpContext context)
    {
        var id = call.Path[(call.Path.LastIndexOf('/') + 1)..];
        if (!conversations.TryGetValue(id, out var owner) || owner != call.User || !conversations.TryRemove(id, out _))
        {
            await ConversationNotExistsAsync(context);
            return;
        }

        context.Response.StatusCode = 204;
    }

    static Task ConversationNotExistsAsync(HttpContext context) =>
        FakeDifySse.ErrorAsync(context, 404, "not_found", "Conversation Not Exists.");

    async Task HandleAsync(HttpContext context)
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        // Scripts wait on RequestAborted; linking it to the server's stop lets Dispose end them at once.
        context.RequestAborted = aborted.Token;
        if (context.Request.Method == "GET" && context.Request.Path.StartsWithSegments("/files"))
        {
            await ServeFileAsync(context);
            return;
        }

        var call = await RecordAsync(context);
        try
        {
            // What the app is (GET /info, /parameters) is always answered as Dify would: scripts fail answers, not probes.
            await (call.IsProbe
                ? ProbeBehaviour?.Invoke(call, context) ?? RespondAsDifyAsync(call, context)
                : Behaviour?.Invoke(call, context) ?? RespondAsDifyAsync(call, context));
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
        }
        catch (IOException) when (aborted.IsCancellationRequested)
        {
        }
    }

    /// <summary>Dify's file URLs (<c>/files/tools/…</c>, outside <c>/v1</c>): what <see cref="Files"/> holds, else 404.</summary>
    async Task ServeFileAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!;
        lock (sync)
        {
            fileDownloads.Add(path + context.Request.QueryString);
        }

        if (!Files.TryGetValue(path, out var file))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = file.ContentType;
        await context.Response.Body.WriteAsync(file.Content, context.RequestAborted);
    }

    async Task<FakeDifyCall> RecordAsync(HttpContext context)
    {
        FakeDifyUpload? upload = null;
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            if (form.Files.GetFile("file") is { } file)
            {
                using var content = new MemoryStream();
                await file.CopyToAsync(content, context.RequestAborted);
                upload = new FakeDifyUpload(file.FileName, file.ContentType, content.ToArray(), form["user"].ToString());
            }

            return Add(new FakeDifyCall(context.Request.Method, context.Request.Path.Value ?? "",
                context.Request.Headers.Authorization.FirstOrDefault(), "", null, form["user"].ToString(), null, null, null,
                TimeProvider.System.GetUtcNow(), upload));
        }

        using var reader = new StreamReader(context.Request.Body);
        var raw = await reader.ReadToEndAsync(context.RequestAborted);
        string? query = null, user = null, conversationId = null, responseMode = null;
        bool? autoGenerateName = null;
        try
        {
            using var json = JsonDocument.Parse(raw.Length == 0 ? "{}" : raw);
            var root = json.RootElement;
            query = Text(root, "query");
            user = Text(root, "user");
            conversationId = Text(root, "conversation_id") is { Length: > 0 } id ? id : null;
            responseMode = Text(root, "response_mode");
            if (root.TryGetProperty("auto_generate_name", out var auto) && auto.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                autoGenerateName = auto.GetBoolean();
            }
        }
        catch (JsonException)
        {
        }

        return Add(new FakeDifyCall(context.Request.Method, context.Request.Path.Value ?? "",
            context.Request.Headers.Authorization.FirstOrDefault(), raw, query, user, conversationId, responseMode,
            autoGenerateName, TimeProvider.System.GetUtcNow()));

        static string? Text(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString()
                : null;
    }

    FakeDifyCall Add(FakeDifyCall call)
    {
        lock (sync)
        {
            if (call.IsProbe)
            {
                probes.Add(call);
                return call;
            }

            calls.Add(call);
            foreach (var waiter in waiters.Where(w => calls.Count >= w.Count).ToList())
            {
                waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }

        return call;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await stopping.CancelAsync();
        if (web is not null)
        {
            await web.DisposeAsync();
        }

        stopping.Dispose();
    }
}
