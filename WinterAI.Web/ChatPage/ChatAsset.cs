namespace WinterAI.Web.ChatPage;

public sealed record ChatAsset(byte[] Content, string ContentType);
