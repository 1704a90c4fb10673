"""Simplified Chinese for the JSON API's own answers (gonghui/api)."""

ZH = {
    "The upload could not be read: send the file as multipart/form-data with a boundary.":
        "无法读取上传的内容：请以 multipart/form-data 格式发送文件，并注明分隔符（boundary）。",
}
