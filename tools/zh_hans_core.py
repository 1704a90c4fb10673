"""Simplified Chinese of the shared core helpers (uploads)."""

ZH = {
    "The picture is too large (too many pixels).": "图片尺寸过大（像素太多）。",
    "The file is damaged or not really a picture.": "文件已损坏，或并不是图片。",
    "The file is empty.": "文件是空的。",
    "The file is larger than %(mb)s MB.": "文件超过 %(mb)s MB。",
    "pictures (JPEG, PNG, WebP, GIF)": "图片（JPEG、PNG、WebP、GIF）",
    "PDF documents": "PDF 文件",
    " or ": "或",
    "Only %(kinds)s can be uploaded here.": "此处只能上传%(kinds)s。",
    "The PDF document is incomplete or damaged.": "PDF 文件不完整或已损坏。",
}
