"""The typical peer: the same read in FastAPI + SQLAlchemy 2 async ORM (asyncpg driver), the
way such a service is usually written — a mapped class, a session per request, a Pydantic
response model. Benchmark reference only; installed into bench/.work/venv, never the project.

Run: BENCH_DSN=postgresql://... uvicorn peer.app:app"""

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException
from pydantic import BaseModel
from sqlalchemy import JSON, Boolean, DateTime, Integer, Text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

DSN = os.environ.get("BENCH_DSN", "postgresql://postgres@127.0.0.1/claimledger_bench")
engine = create_async_engine(
    DSN.replace("postgresql://", "postgresql+asyncpg://", 1), pool_size=10, max_overflow=0
)
Session = async_sessionmaker(engine, expire_on_commit=False)


class Base(DeclarativeBase):
    pass


class Claim(Base):
    __tablename__ = "claims"
    id: Mapped[str] = mapped_column(Text, primary_key=True)
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted: Mapped[bool] = mapped_column(Boolean)
    doc: Mapped[dict[str, Any]] = mapped_column(JSON)


class ClaimOut(BaseModel):
    id: str
    version: int
    created_at: datetime
    updated_at: datetime
    deleted: bool
    doc: dict[str, Any]


async def session() -> AsyncIterator[AsyncSession]:
    async with Session() as s:
        yield s


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    yield
    await engine.dispose()


app = FastAPI(lifespan=lifespan, openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/claims/{claim_id}", response_model=ClaimOut)
async def get_claim(claim_id: str, db: Annotated[AsyncSession, Depends(session)]) -> Claim:
    claim = await db.get(Claim, claim_id)
    if claim is None:
        raise HTTPException(404)
    return claim


@app.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}
