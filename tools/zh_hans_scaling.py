"""Simplified Chinese for running on several machines: uploads on an object store."""

ZH = {
    "The uploaded files are in the object store (bucket %(bucket)s), not in this archive: back them up with "
    "the store's own versioning and replication (docs/operations.md).":
        "上传的文件保存在对象存储（存储桶 %(bucket)s）中，不在本备份文件内：请用对象存储自身的版本控制和跨区域复制备份（见 docs/operations.md）。",
}
