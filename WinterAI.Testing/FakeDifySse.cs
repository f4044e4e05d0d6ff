using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace WinterAI.Testing;

/// <summary>
/// Building blocks for <see cref="FakeDifyServer.Behaviour"/> scripts: Dify's event JSON, SSE frames written and
/// flushed the way Dify does (or byte by byte), and Dify's HTTP error bodies.
/// </summary>
public static class FakeDifySse
{
    static readonly JsonSerializerOptions RawUtf8 = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // The default encoder escapes every non-ASCII character as \uXXXX, as older Dify servers do.
    static readonly JsonSerializerOptions Escaped = new() { Encoder = JavaScriptEncoder.Default };

    /// <summary>A <c>message</c> (or <c>agent_message</c>) event carrying one answer chunk.</summary>
    public static string Message(string answer, string conversationId, string messageId = "msg-1", string eventName = "message",
        bool escapeNonAscii = false) =>
        Json(new JsonObject
        {
            ["event"] = eventName,
            ["task_id"] = "task-1",
            ["id"] = messageId,
            ["message_id"] = messageId,
            ["conversation_id"] = conversationId,
            ["answer"] = answer,
            ["created_at"] = 1705395332,
        }, escapeNonAscii);

    /// <summary>A <c>message_file</c> event: a picture or file of the assistant's (or, with <paramref name="belongsTo"/> <c>user</c>, the follower's own).</summary>
    public static string MessageFile(string url, string type, string conversationId, string messageId = "msg-1", string belongsTo = "assistant") =>
        Json(new JsonObject
        {
            ["event"] = "message_file",
            ["id"] = Guid.NewGuid().ToString(),
            ["type"] = type,
            ["belongs_to"] = belongsTo,
            ["url"] = url,
            ["message_id"] = messageId,
            ["conversation_id"] = conversationId,
            ["created_at"] = 1705395332,
        }, escapeNonAscii: false);

    /// <summary>A <c>message_replace</c> event: <paramref name="answer"/> replaces everything streamed so far.</summary>
    public static string MessageReplace(string answer, string conversationId, string messageId = "msg-1") =>
        Json(new JsonObject
        {
            ["event"] = "message_replace",
            ["task_id"] = "task-1",
            ["message_id"] = messageId,
            ["conversation_id"] = conversationId,
            ["answer"] = answer,
            ["created_at"] = 1705395332,
        }, escapeNonAscii: false);

    /// <summary>A <c>message_end</c> event; <paramref name="usage"/> null leaves <c>metadata.usage</c> out.</summary>
    public static string MessageEnd(string conversationId, string messageId = "msg-1", (int Prompt, int Completion)? usage = null)
    {
        var metadata = new JsonObject();
        if (usage is { } u)
        {
            metadata["usage"] = new JsonObject
            {
                ["prompt_tokens"] = u.Prompt,
                ["prompt_unit_price"] = "0.001",
                ["prompt_price"] = "0.0000010",
                ["completion_tokens"] = u.Completion,
                ["completion_unit_price"] = "0.002",
                ["completion_price"] = "0.0000020",
                ["total_tokens"] = u.Prompt + u.Completion,
                ["total_price"] = "0.0000030",
                ["currency"] = "USD",
                ["latency"] = 0.42,
            };
        }

        metadata["retriever_resources"] = new JsonArray();
        return Json(new JsonObject
        {
            ["event"] = "message_end",
            ["task_id"] = "task-1",
            ["id"] = messageId,
            ["message_id"] = messageId,
            ["conversation_id"] = conversationId,
            ["metadata"] = metadata,
            ["created_at"] = 1705395332,
        }, escapeNonAscii: false);
    }

    /// <summary>An <c>error</c> event, which ends a Dify stream.</summary>
    public static string ErrorEvent(int status, string code, string message, string messageId = "msg-1") =>
        Json(new JsonObject
        {
            ["event"] = "error",
            ["task_id"] = "task-1",
            ["message_id"] = messageId,
            ["status"] = status,
            ["code"] = code,
            ["message"] = message,
        }, escapeNonAscii: false);

    /// <summary>An event the client is expected to skip, e.g. <c>workflow_started</c> or <c>tts_message</c>.</summary>
    public static string OtherEvent(string eventName, string conversationId) =>
        Json(new JsonObject
        {
            ["event"] = eventName,
            ["task_id"] = "task-1",
            ["conversation_id"] = conversationId,
            ["data"] = new JsonObject { ["id"] = "node-1", ["status"] = "running", ["inputs"] = new JsonObject() },
            ["audio"] = "",
            ["created_at"] = 1705395332,
        }, escapeNonAscii: false);

    /// <summary>A workflow's <c>text_chunk</c> event.</summary>
    public static string TextChunk(string text, string runId = "run-1") =>
        Json(new JsonObject
        {
            ["event"] = "text_chunk",
            ["task_id"] = "task-1",
            ["workflow_run_id"] = runId,
            ["data"] = new JsonObject { ["text"] = text, ["from_variable_selector"] = new JsonArray("llm", "text") },
        }, escapeNonAscii: false);

    /// <summary>A workflow's <c>workflow_finished</c> event with <paramref name="outputs"/> and <paramref name="status"/>.</summary>
    public static string WorkflowFinished(JsonObject outputs, string status = "succeeded", string? error = null, string runId = "run-1") =>
        Json(new JsonObject
        {
            ["event"] = "workflow_finished",
            ["task_id"] = "task-1",
            ["workflow_run_id"] = runId,
            ["data"] = new JsonObject
            {
                ["id"] = runId,
                ["workflow_id"] = "workflow-1",
                ["status"] = status,
                ["outputs"] = outputs,
                ["error"] = error,
                ["elapsed_time"] = 0.42,
                ["total_tokens"] = 12,
                ["total_steps"] = 3,
                ["created_at"] = 1705395332,
                ["finished_at"] = 1705395333,
            },
        }, escapeNonAscii: false);

    /// <summary>A node event (<c>node_started</c>, <c>node_finished</c>) or <c>workflow_started</c>, as workflows and chatflows send them.</summary>
    public static string NodeEvent(string eventName, string conversationId = "", string nodeType = "llm") =>
        Json(new JsonObject
        {
            ["event"] = eventName,
            ["task_id"] = "task-1",
            ["workflow_run_id"] = "run-1",
            ["conversation_id"] = conversationId,
            ["data"] = new JsonObject
            {
                ["id"] = Guid.NewGuid().ToString(),
                ["node_id"] = "node-1",
                ["node_type"] = nodeType,
                ["title"] = "LLM",
                ["index"] = 1,
                ["inputs"] = new JsonObject { ["sys.query"] = "q" },
                ["outputs"] = eventName == "node_finished" ? new JsonObject { ["text"] = "node output" } : null,
                ["status"] = eventName == "node_finished" ? "succeeded" : "running",
                ["error"] = null,
                ["created_at"] = 1705395332,
            },
        }, escapeNonAscii: false);

    /// <summary>An agent's <c>agent_thought</c> event (a tool call), which carries no answer text.</summary>
    public static string AgentThought(string conversationId, string messageId) =>
        Json(new JsonObject
        {
            ["event"] = "agent_thought",
            ["id"] = Guid.NewGuid().ToString(),
            ["task_id"] = "task-1",
            ["message_id"] = messageId,
            ["conversation_id"] = conversationId,
            ["position"] = 1,
            ["thought"] = "I should look this up.",
            ["observation"] = "",
            ["tool"] = "web_search",
            ["tool_input"] = "{\"web_search\": {\"query\": \"q\"}}",
            ["message_files"] = new JsonArray(),
            ["created_at"] = 1705395332,
        }, escapeNonAscii: false);

    /// <summary>Starts a 200 <c>text/event-stream</c> response and sends its headers.</summary>
    public static async Task BeginStreamAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>Sends <c>data: {json}\n\n</c> in one flushed write.</summary>
    public static Task SendEventAsync(HttpContext context, string json) => SendRawAsync(context, $"data: {json}\n\n", int.MaxValue);

    /// <summary>Sends Dify's keep-alive frame.</summary>
    public static Task SendPingAsync(HttpContext context) => SendRawAsync(context, "event: ping\n\n", int.MaxValue);

    /// <summary>
    /// Sends <paramref name="text"/> as UTF-8 in writes of <paramref name="chunkBytes"/> bytes, flushing each, so
    /// frames and multi-byte characters are split across network reads.
    /// </summary>
    public static async Task SendRawAsync(HttpContext context, string text, int chunkBytes = 1)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var offset = 0; offset < bytes.Length; offset += chunkBytes)
        {
            var count = Math.Min(chunkBytes, bytes.Length - offset);
            await context.Response.Body.WriteAsync(bytes.AsMemory(offset, count), context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    /// <summary>Answers with Dify's error body <c>{"code","message","status"}</c>.</summary>
    /// <param name="retryAfter">Sent verbatim as <c>Retry-After</c> (seconds or an HTTP-date) when given.</param>
    public static async Task ErrorAsync(HttpContext context, int status, string code, string message, string? retryAfter = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        var body = Json(new JsonObject { ["code"] = code, ["message"] = message, ["status"] = status }, escapeNonAscii: false);
        await context.Response.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>Keeps the response open and silent until the client goes away or the server stops.</summary>
    public static async Task StaySilentAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Sends pings every <paramref name="interval"/> and never an answer, until the client goes away.</summary>
    public static async Task PingForeverAsync(HttpContext context, TimeSpan interval)
    {
        try
        {
            await BeginStreamAsync(context);
            while (true)
            {
                await SendPingAsync(context);
                await Task.Delay(interval, context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Splits text into chunks at text-element boundaries, as a model's tokens would arrive.</summary>
    public static IReadOnlyList<string> Chunks(string text, int count)
    {
        var elements = new List<string>();
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        var size = Math.Max(1, (int)Math.Ceiling(elements.Count / (double)Math.Max(1, count)));
        return elements.Chunk(size).Select(chunk => string.Concat(chunk)).ToList();
    }

    static string Json(JsonObject value, bool escapeNonAscii) => value.ToJsonString(escapeNonAscii ? Escaped : RawUtf8);
}
