using System.Text.Json.Nodes;

namespace WinterAI.Domain.Channels.OfficialAccount.Menus;

/// <summary>The JSON body of <c>/cgi-bin/menu/create</c>.</summary>
public static class MenuDocument
{
    public static string Build(IReadOnlyList<MenuButton> buttons)
    {
        var array = new JsonArray();
        foreach (var button in buttons)
        {
            array.Add(Node(button));
        }

        return new JsonObject { ["button"] = array }.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    private static JsonObject Node(MenuButton button)
    {
        if (button.SubButtons.Count > 0)
        {
            var subs = new JsonArray();
            foreach (var sub in button.SubButtons)
            {
                subs.Add(Node(sub));
            }

            return new JsonObject { ["name"] = button.Name, ["sub_button"] = subs };
        }

        var node = new JsonObject { ["type"] = button.Type, ["name"] = button.Name };
        if (button.Type == "view")
        {
            node["url"] = button.Url;
        }
        else
        {
            node["key"] = button.Key;
        }

        return node;
    }
}
